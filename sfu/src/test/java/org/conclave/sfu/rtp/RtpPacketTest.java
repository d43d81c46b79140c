package org.conclave.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpPacketTest {
    private static final String HEADER = "80 6f 12 34 | 00 01 e2 40 | de ad be ef";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "minimal header;                 80 6f 12 34 00 01 e2 40 de ad be ef;                      12",
            "header and payload;             80 6f 12 34 00 01 e2 40 de ad be ef 01 02 03;             12",
            "11 bytes;                       80 6f 12 34 00 01 e2 40 de ad be;                         -2",
            "empty;                          '';                                                       -2",
            "version 1;                      40 6f 12 34 00 01 e2 40 de ad be ef;                      -3",
            "version 3;                      c0 6f 12 34 00 01 e2 40 de ad be ef;                      -3",
            "version 0 (STUN-like);          00 01 00 00 21 12 a4 42 00 00 00 00;                      -3",
            "two CSRCs, one present;         82 6f 12 34 00 01 e2 40 de ad be ef 00 00 00 01;          -4",
            "two CSRCs present;              82 6f 12 34 00 01 e2 40 de ad be ef 00 00 00 01 00 00 00 02; 20",
            "15 CSRCs in 72 bytes;           8f 6f 12 34 00 01 e2 40 de ad be ef 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00 05 00 00 00 06 00 00 00 07 00 00 00 08 00 00 00 09 00 00 00 0a 00 00 00 0b 00 00 00 0c 00 00 00 0d 00 00 00 0e 00 00 00 0f; 72",
            "X, extension header cut;        90 6f 12 34 00 01 e2 40 de ad be ef be de;                -5",
            "X, extension header only;       90 6f 12 34 00 01 e2 40 de ad be ef be de 00 00;          16",
            "X, extension data missing;      90 6f 12 34 00 01 e2 40 de ad be ef be de 00 01;          -5",
            "X, extension data 3 of 4;       90 6f 12 34 00 01 e2 40 de ad be ef be de 00 01 10 ff 00; -5",
            "X, one word of data;            90 6f 12 34 00 01 e2 40 de ad be ef be de 00 01 10 ff 00 00; 20",
            "X, length 0xffff;               90 6f 12 34 00 01 e2 40 de ad be ef be de ff ff 10 ff 00 00; -5",
            "CSRC and X;                     91 6f 12 34 00 01 e2 40 de ad be ef 00 00 00 07 be de 00 01 22 00 01 00 aa; 24",
            "padding 3 of 3;                 a0 6f 12 34 00 01 e2 40 de ad be ef 00 00 03;             12",
            "padding 1 after payload;        a0 6f 12 34 00 01 e2 40 de ad be ef 55 01;                12",
            "padding count 0;                a0 6f 12 34 00 01 e2 40 de ad be ef 55 00;                -6",
            "padding 2 = whole payload;      a0 6f 12 34 00 01 e2 40 de ad be ef 55 02;                12",
            "padding beyond payload;         a0 6f 12 34 00 01 e2 40 de ad be ef 55 03;                -6",
            "padding bit, no payload;        a0 6f 12 34 00 01 e2 40 de ad be ef;                      -6",
            "padding reaching into ext;      b0 6f 12 34 00 01 e2 40 de ad be ef be de 00 01 10 ff 00 00 02; -6",
            "padding after ext;              b0 6f 12 34 00 01 e2 40 de ad be ef be de 00 01 10 ff 00 00 00 02; 20",
    })
    void validate(String name, String hex, int expected) {
        byte[] packet = Hex.embedded(3, hex, 2);
        assertThat(RtpPacket.validate(packet, 3, packet.length - 5)).isEqualTo(expected);
    }

    @Test
    void validateRejectsBadBounds() {
        byte[] packet = Hex.bytes(HEADER);
        assertThat(RtpPacket.validate(null, 0, 12)).isEqualTo(RtpPacket.ERR_BOUNDS);
        assertThat(RtpPacket.validate(packet, -1, 12)).isEqualTo(RtpPacket.ERR_BOUNDS);
        assertThat(RtpPacket.validate(packet, 0, -1)).isEqualTo(RtpPacket.ERR_BOUNDS);
        assertThat(RtpPacket.validate(packet, 1, 12)).isEqualTo(RtpPacket.ERR_BOUNDS);
        assertThat(RtpPacket.validate(packet, 0, Integer.MAX_VALUE)).isEqualTo(RtpPacket.ERR_BOUNDS);
        assertThat(RtpPacket.validate(packet, 0, 12)).isEqualTo(12);
    }

    @Test
    void readsFixedHeaderFieldsAtAnOffset() {
        byte[] b = Hex.embedded(5, "81 ef ff fe | 80 00 00 01 | 00 00 30 39 | 11 22 33 44 | 01 02", 3);
        int off = 5;
        int len = b.length - 8;
        assertThat(RtpPacket.validate(b, off, len)).isEqualTo(16);
        assertThat(RtpPacket.version(b, off)).isEqualTo(2);
        assertThat(RtpPacket.marker(b, off)).isTrue();
        assertThat(RtpPacket.payloadType(b, off)).isEqualTo(111);
        assertThat(RtpPacket.sequence(b, off)).isEqualTo(65534);
        assertThat(RtpPacket.timestamp(b, off)).isEqualTo(0x8000_0001L);
        assertThat(RtpPacket.ssrc(b, off)).isEqualTo(12345);
        assertThat(RtpPacket.csrcCount(b, off)).isEqualTo(1);
        assertThat(RtpPacket.csrc(b, off, 0)).isEqualTo(0x11223344);
        assertThat(RtpPacket.headerLength(b, off)).isEqualTo(16);
        assertThat(RtpPacket.payloadOffset(b, off)).isEqualTo(off + 16);
        assertThat(RtpPacket.payloadLength(b, off, len)).isEqualTo(2);
        assertThat(RtpPacket.hasExtension(b, off)).isFalse();
        assertThat(RtpPacket.extensionProfile(b, off)).isEqualTo(-1);
        assertThat(RtpPacket.extensionDataLength(b, off)).isZero();
    }

    @Test
    void ssrcIsRawBitsAndTimestampUnsigned() {
        byte[] b = Hex.bytes("80 00 00 00 | ff ff ff ff | fe dc ba 98");
        assertThat(RtpPacket.ssrc(b, 0)).isEqualTo(0xFEDCBA98);
        assertThat(Integer.toUnsignedString(RtpPacket.ssrc(b, 0))).isEqualTo("4275878552");
        assertThat(RtpPacket.timestamp(b, 0)).isEqualTo(4294967295L);
    }

    @Test
    void payloadExcludesExtensionAndPadding() {
        byte[] b = Hex.bytes("b0 60 00 01 00 00 00 01 00 00 00 01 | be de 00 02 | 10 aa 21 bb cc 00 00 00 | 0a 0b 0c | 00 00 03");
        assertThat(RtpPacket.validate(b, 0, b.length)).isEqualTo(24);
        assertThat(RtpPacket.extensionHeaderOffset(b, 0)).isEqualTo(12);
        assertThat(RtpPacket.extensionProfile(b, 0)).isEqualTo(0xBEDE);
        assertThat(RtpPacket.extensionDataLength(b, 0)).isEqualTo(8);
        assertThat(RtpPacket.paddingLength(b, 0, b.length)).isEqualTo(3);
        assertThat(RtpPacket.payloadOffset(b, 0)).isEqualTo(24);
        assertThat(RtpPacket.payloadLength(b, 0, b.length)).isEqualTo(3);
    }

    @Test
    void settersChangeOnlyTheirField() {
        byte[] b = Hex.embedded(2, "80 ef 12 34 | 00 01 e2 40 | de ad be ef | 99", 0);
        RtpPacket.setPayloadType(b, 2, 96);
        assertThat(Hex.string(b, 2, 13)).isEqualTo("80 e0 12 34 00 01 e2 40 de ad be ef 99");
        RtpPacket.setMarker(b, 2, false);
        assertThat(RtpPacket.marker(b, 2)).isFalse();
        assertThat(RtpPacket.payloadType(b, 2)).isEqualTo(96);
        RtpPacket.setMarker(b, 2, true);
        RtpPacket.setSequence(b, 2, 0xFFFF);
        RtpPacket.setTimestamp(b, 2, 0x1_2345_6789L);
        RtpPacket.setSsrc(b, 2, 0x01020304);
        assertThat(Hex.string(b, 0, 15)).isEqualTo("a5 a5 80 e0 ff ff 23 45 67 89 01 02 03 04 99");
        RtpPacket.setPayloadType(b, 2, 0xFF);
        assertThat(RtpPacket.payloadType(b, 2)).isEqualTo(127);
        assertThat(RtpPacket.marker(b, 2)).isTrue();
    }

    @ParameterizedTest(name = "second byte {0} -> {1}")
    @CsvSource({
            "111, false", "239, false", "191, false", "192, true", "200, true", "201, true", "206, true",
            "223, true", "224, false", "0, false", "127, false"})
    void rtcpMuxDemux(int secondByte, boolean rtcp) {
        byte[] b = {(byte) 0x80, (byte) secondByte, 0, 1};
        assertThat(RtpPacket.isRtcp(b, 0, b.length)).isEqualTo(rtcp);
    }

    @Test
    void rtcpMuxDemuxIsSafeOnShortInput() {
        assertThat(RtpPacket.isRtcp(new byte[] {(byte) 0x80, (byte) 200}, 0, 1)).isFalse();
        assertThat(RtpPacket.isRtcp(new byte[] {(byte) 0x80, (byte) 200}, 1, 2)).isFalse();
        assertThat(RtpPacket.isRtcp(null, 0, 2)).isFalse();
        assertThat(RtpPacket.isRtcp(new byte[] {(byte) 0x80, (byte) 200}, 0, 2)).isTrue();
    }
}
