package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.rtcp.Remb;
import org.conclave.sfu.rtcp.RtcpCompound;
import org.conclave.sfu.rtcp.RtcpKind;
import org.conclave.sfu.rtcp.Tmmbr;
import org.junit.jupiter.api.Test;

class RateRequestTest {
    @Test
    void rembListsEverySsrc() {
        byte[] buf = new byte[100];
        int n = RateRequest.write(buf, 0, 0x5F, new int[] {0xA, 0xB, 0xC}, 2, 800_000, false);
        assertThat(n).isEqualTo(28);
        RtcpCompound c = new RtcpCompound();
        assertThat(c.reset(buf, 0, n)).isEqualTo(1);
        assertThat(c.next()).isTrue();
        assertThat(c.kind()).isEqualTo(RtcpKind.REMB);
        assertThat(Remb.bitrate(buf, 0)).isEqualTo(800_000);
        assertThat(Remb.ssrcCount(buf, 0)).isEqualTo(2);
        assertThat(Remb.ssrc(buf, 0, 1)).isEqualTo(0xB);
    }

    @Test
    void tmmbrWritesOnePacketPerSsrc() {
        byte[] buf = new byte[100];
        int n = RateRequest.write(buf, 4, 0x5F, new int[] {0xA, 0xB}, 2, 800_000, true);
        assertThat(n).isEqualTo(2 * Tmmbr.LENGTH_ONE_ENTRY);
        RtcpCompound c = new RtcpCompound();
        assertThat(c.reset(buf, 4, n)).isEqualTo(2);
        int[] expected = {0xA, 0xB};
        for (int i = 0; i < 2; i++) {
            assertThat(c.next()).isTrue();
            assertThat(c.kind()).isEqualTo(RtcpKind.TMMBR);
            assertThat(Tmmbr.ssrc(buf, c.offset(), 0)).isEqualTo(expected[i]);
            assertThat(Tmmbr.bitrate(buf, c.offset(), 0)).isEqualTo(800_000);
            assertThat(Tmmbr.overhead(buf, c.offset(), 0)).isEqualTo(RateRequest.TMMBR_OVERHEAD_BYTES);
        }
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThat(RateRequest.write(new byte[30], 0, 1, new int[] {1, 2}, 2, 1, true)).isEqualTo(-1);
        assertThat(RateRequest.write(new byte[20], 0, 1, new int[] {1, 2}, 2, 1, false)).isEqualTo(-1);
        assertThat(RateRequest.write(new byte[100], 0, 1, new int[] {1}, 0, 1, true)).isEqualTo(-1);
    }
}
