package org.conclave.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RembTest {
    @ParameterizedTest(name = "{0} bps")
    @CsvSource({
            // bitrate, exponent, mantissa, decoded
            "0, 0, 0, 0",
            "64000, 0, 64000, 64000",
            "262143, 0, 262143, 262143",
            "262144, 1, 131072, 262144",
            "1500000, 3, 187500, 1500000",
            "30000000, 7, 234375, 30000000",
            "1000000001, 12, 244140, 999997440",
            "9223372036854775807, 45, 262143, 9223336852482686976",
            "-5, 0, 0, 0",
    })
    void exponentAndMantissa(long bitrate, int exponent, int mantissa, long decoded) {
        byte[] buf = new byte[28];
        int len = Remb.write(buf, 0, 0x1234, bitrate, new int[] {0xAAAA, 0xBBBB}, 2);
        assertThat(len).isEqualTo(28);
        assertThat((buf[17] & 0xFF) >>> 2).isEqualTo(exponent);
        assertThat(((buf[17] & 0x03) << 16) | ((buf[18] & 0xFF) << 8) | (buf[19] & 0xFF)).isEqualTo(mantissa);
        assertThat(Remb.bitrate(buf, 0)).isEqualTo(decoded);
        assertThat(Remb.encodeBitrate(bitrate)).isEqualTo((exponent << 18) | mantissa);
    }

    @Test
    void roundTripThroughParser() {
        byte[] buf = new byte[40];
        int len = Remb.write(buf, 4, 0x1234, 1_500_000, new int[] {0xAAAA, 0xBBBB, 0xCCCC}, 3);
        assertThat(len).isEqualTo(32);
        assertThat(Hex.string(buf, 4, 20)).isEqualTo("8f ce 00 07 00 00 12 34 00 00 00 00 52 45 4d 42 03 0e dc 6c");
        RtcpCompound cursor = new RtcpCompound();
        assertThat(cursor.reset(buf, 4, len)).isEqualTo(1);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.kind()).isEqualTo(RtcpKind.REMB);
        assertThat(RtcpFeedback.senderSsrc(buf, 4)).isEqualTo(0x1234);
        assertThat(Remb.ssrcCount(buf, 4)).isEqualTo(3);
        assertThat(Remb.ssrc(buf, 4, 0)).isEqualTo(0xAAAA);
        assertThat(Remb.ssrc(buf, 4, 2)).isEqualTo(0xCCCC);
        assertThat(Remb.bitrate(buf, 4)).isEqualTo(1_500_000);
    }

    @Test
    void decodeSaturatesInsteadOfOverflowing() {
        assertThat(Remb.decodeBitrate((63 << 18) | 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Remb.decodeBitrate((46 << 18) | 262143)).isEqualTo(Long.MAX_VALUE);
        assertThat(Remb.decodeBitrate((45 << 18) | 262143)).isEqualTo(262143L << 45);
        assertThat(Remb.decodeBitrate(63 << 18)).isZero();
    }

    @Test
    void writerLimits() {
        assertThat(Remb.write(new byte[23], 0, 1, 1000, new int[] {1}, 1)).isEqualTo(-1);
        assertThat(Remb.write(new byte[2000], 0, 1, 1000, new int[256], 256)).isEqualTo(-1);
        assertThat(Remb.write(new byte[20], 0, 1, 1000, null, 0)).isEqualTo(20);
    }
}
