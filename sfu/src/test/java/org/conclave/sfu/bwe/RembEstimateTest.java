package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.rtcp.Remb;
import org.conclave.sfu.rtcp.RtcpKind;
import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;

class RembEstimateTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void readsBitrateAndSsrcs() {
        byte[] b = new byte[40];
        int n = Remb.write(b, 4, 0x01, 1_500_000, new int[] {0x0A, 0x0B}, 2);
        RembEstimate remb = new RembEstimate();
        assertThat(remb.hasEstimate()).isFalse();
        assertThat(remb.bitrateBps()).isEqualTo(-1);
        assertThat(remb.onRemb(b, 4, n, clock.nanoTime())).isTrue();
        assertThat(remb.bitrateBps()).isBetween(1_499_000L, 1_500_000L);
        assertThat(remb.ssrcCount()).isEqualTo(2);
        assertThat(remb.ssrc(1)).isEqualTo(0x0B);
        assertThat(remb.covers(0x0A)).isTrue();
        assertThat(remb.covers(0x0C)).isFalse();
        assertThatThrownBy(() -> remb.ssrc(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void parsesAChromeRemb() {
        // Chrome: REMB for two SSRCs at exp 3, mantissa 0x1e848 -> 1,000,000 bit/s.
        byte[] b = Hex.bytes("8f ce 00 06 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 02 0d e8 48 | 11 11 11 11 | 22 22 22 22");
        RembEstimate remb = new RembEstimate();
        assertThat(remb.onRemb(b, 0, b.length, 0)).isTrue();
        assertThat(remb.bitrateBps()).isEqualTo(0x1e848L << 3);
        assertThat(remb.covers(0x22222222)).isTrue();
    }

    @Test
    void ignoresWhatIsNotARemb() {
        RembEstimate remb = new RembEstimate();
        byte[] pli = Hex.bytes("81 ce 00 02 00 00 00 01 00 00 00 02");
        assertThat(remb.onRemb(pli, 0, pli.length, 0)).isFalse();
        byte[] truncated = Hex.bytes("8f ce 00 05 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 02 0d e8 48 | 11 11 11 11");
        assertThat(remb.onRemb(truncated, 0, truncated.length, 0)).isFalse();
        assertThat(remb.hasEstimate()).isFalse();
    }

    @Test
    void freshness() {
        byte[] b = new byte[20];
        Remb.write(b, 0, 1, 500_000, new int[0], 0);
        RembEstimate remb = new RembEstimate();
        remb.onRemb(b, 0, 20, clock.nanoTime());
        clock.advanceMillis(5_000);
        assertThat(remb.isFresh(clock.nanoTime(), 5_000_000_000L)).isTrue();
        clock.advanceMillis(1);
        assertThat(remb.isFresh(clock.nanoTime(), 5_000_000_000L)).isFalse();
    }

    @Test
    void downlinkUsesWhicheverFeedbackIsFreshAndTheSmallerOfBoth() {
        FakeClock clock = new FakeClock();
        DownlinkEstimate rembOnly = new DownlinkEstimate(EstimatorOptions.DEFAULTS, false);
        assertThat(rembOnly.sendSide()).isNull();
        assertThat(rembOnly.bitrateBps(clock.nanoTime())).isEqualTo(-1);
        byte[] b = new byte[20];
        Remb.write(b, 0, 1, 700_000, new int[0], 0);
        assertThat(rembOnly.onRtcp(RtcpKind.REMB, b, 0, 20, clock.nanoTime())).isTrue();
        assertThat(rembOnly.onRtcp(RtcpKind.TRANSPORT_CC, b, 0, 20, clock.nanoTime())).isFalse();
        assertThat(rembOnly.bitrateBps(clock.nanoTime())).isBetween(699_000L, 700_000L);

        DownlinkEstimate both = new DownlinkEstimate(EstimatorOptions.DEFAULTS, true);
        SendSideEstimator sendSide = both.sendSide();
        sendSide.onPacketSent(1000, clock.nanoTime());
        byte[] fb = FeedbackWriter.write(1, 2, 1, 0, new long[] {1_000});
        assertThat(both.onRtcp(RtcpKind.TRANSPORT_CC, fb, 0, fb.length, clock.nanoTime())).isTrue();
        assertThat(both.bitrateBps(clock.nanoTime())).isEqualTo(EstimatorOptions.DEFAULT_START_BITRATE_BPS);
        both.onRtcp(RtcpKind.REMB, b, 0, 20, clock.nanoTime());
        assertThat(both.bitrateBps(clock.nanoTime())).isBetween(699_000L, 700_000L);
        Remb.write(b, 0, 1, 100_000_000, new int[0], 0);
        both.onRtcp(RtcpKind.REMB, b, 0, 20, clock.nanoTime());
        assertThat(both.bitrateBps(clock.nanoTime())).isEqualTo(EstimatorOptions.DEFAULT_START_BITRATE_BPS);

        clock.advanceMillis(EstimatorOptions.DEFAULT_ESTIMATE_TIMEOUT_MILLIS + 1);
        assertThat(both.bitrateBps(clock.nanoTime())).isEqualTo(-1);
    }

    @Test
    void downlinkIsBounded() {
        DownlinkEstimate d = new DownlinkEstimate(EstimatorOptions.DEFAULTS, false);
        byte[] b = new byte[20];
        Remb.write(b, 0, 1, 1_000, new int[0], 0);
        d.onRtcp(RtcpKind.REMB, b, 0, 20, 0);
        assertThat(d.bitrateBps(0)).isEqualTo(EstimatorOptions.DEFAULT_MIN_BITRATE_BPS);
        Remb.write(b, 0, 1, 1L << 40, new int[0], 0);
        d.onRtcp(RtcpKind.REMB, b, 0, 20, 0);
        assertThat(d.bitrateBps(0)).isEqualTo(EstimatorOptions.DEFAULT_MAX_BITRATE_BPS);
    }
}
