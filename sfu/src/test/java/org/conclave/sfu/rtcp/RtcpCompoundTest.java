package org.conclave.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpCompoundTest {
    static final String SR_ONE_BLOCK = "81 c8 00 0c | 00 00 00 01 | aa bb cc dd 11 22 33 44 | 00 00 10 00 | 00 00 00 05 | 00 00 01 f4"
            + "| 00 00 00 02 | 10 00 00 03 | 00 01 00 09 | 00 00 00 07 | 12 34 56 78 | 00 00 80 00";
    static final String SDES = "81 ca 00 03 | 00 00 00 01 | 01 04 61 62 63 64 | 00 00";
    static final String PLI = "81 ce 00 02 | 00 00 00 01 | 00 00 00 02";
    static final String NACK = "81 cd 00 03 | 00 00 00 01 | 00 00 00 02 | 00 64 80 01";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "RR without blocks;             80 c9 00 01 11 22 33 44;                                  1",
            "SR + SDES;                     " + SR_ONE_BLOCK + SDES + ";                              2",
            "reduced size: PLI alone;       " + PLI + ";                                              1",
            "reduced size: NACK + PLI;      " + NACK + PLI + ";                                       2",
            "BYE with no SSRC (4 bytes);    80 cb 00 00;                                              1",
            "empty;                         '';                                                       -2",
            "3 bytes;                       80 c9 00;                                                 -2",
            "trailing 2 bytes;              80 c9 00 01 11 22 33 44 80 c9;                            -2",
            "version 1;                     40 c9 00 01 11 22 33 44;                                  -3",
            "version 2 then 0;              80 c9 00 01 11 22 33 44 00 c9 00 01 11 22 33 44;          -3",
            "length past end;               80 c9 00 02 11 22 33 44;                                  -4",
            "second length past end;        80 c9 00 01 11 22 33 44 80 c9 00 05 11 22 33 44;          -4",
            "length 0xffff;                 80 c9 ff ff 11 22 33 44;                                  -4",
            "padding 4 of 4;                a0 c9 00 01 00 00 00 04;                                  1",
            "padding count 0;               a0 c9 00 01 11 22 33 00;                                  -5",
            "padding beyond body;           a0 c9 00 01 11 22 33 05;                                  -5",
            "padding in first of two;       a0 c9 00 01 00 00 00 04 80 c9 00 01 11 22 33 44;          2",
            "unknown type is fine here;     80 cf 00 01 11 22 33 44;                                  1",
    })
    void validate(String name, String hex, int expected) {
        byte[] b = Hex.embedded(2, hex, 3);
        int len = b.length - 5;
        assertThat(RtcpCompound.validate(b, 2, len)).isEqualTo(expected);
        RtcpCompound cursor = new RtcpCompound();
        assertThat(cursor.reset(b, 2, len)).isEqualTo(expected);
        assertThat(cursor.error()).isEqualTo(Math.min(expected, 0));
    }

    @Test
    void validateRejectsBadBounds() {
        byte[] b = Hex.bytes("80 c9 00 01 11 22 33 44");
        assertThat(RtcpCompound.validate(null, 0, 8)).isEqualTo(RtcpPacket.ERR_BOUNDS);
        assertThat(RtcpCompound.validate(b, -1, 8)).isEqualTo(RtcpPacket.ERR_BOUNDS);
        assertThat(RtcpCompound.validate(b, 1, 8)).isEqualTo(RtcpPacket.ERR_BOUNDS);
        assertThat(RtcpCompound.validate(b, 0, -8)).isEqualTo(RtcpPacket.ERR_BOUNDS);
        RtcpCompound cursor = new RtcpCompound();
        assertThat(cursor.reset(b, 4, 8)).isEqualTo(RtcpPacket.ERR_BOUNDS);
        assertThat(cursor.next()).isFalse();
    }

    @Test
    void iteratesPacketsWithKinds() {
        byte[] b = Hex.embedded(5, SR_ONE_BLOCK + SDES + PLI + NACK, 0);
        RtcpCompound cursor = new RtcpCompound();
        assertThat(cursor.reset(b, 5, b.length - 5)).isEqualTo(4);
        assertThat(cursor.errorOffset()).isEqualTo(-1);
        assertThat(cursor.validPackets()).isEqualTo(4);
        List<String> seen = new ArrayList<>();
        while (cursor.next()) {
            seen.add(cursor.offset() + ":" + cursor.length() + ":" + cursor.packetType() + ":" + cursor.count() + ":"
                    + cursor.kind());
        }
        assertThat(seen).containsExactly(
                "5:52:200:1:SENDER_REPORT",
                "57:16:202:1:SDES",
                "73:12:206:1:PLI",
                "85:16:205:1:NACK");
        assertThat(cursor.next()).isFalse();
    }

    @Test
    void iteratesValidPrefixAndReportsFirstBadPacket() {
        byte[] b = Hex.bytes(PLI + NACK + "40 c9 00 01 11 22 33 44" + PLI);
        RtcpCompound cursor = new RtcpCompound();
        assertThat(cursor.reset(b, 0, b.length)).isEqualTo(RtcpPacket.ERR_VERSION);
        assertThat(cursor.errorOffset()).isEqualTo(28);
        assertThat(cursor.validPackets()).isEqualTo(2);
        int n = 0;
        while (cursor.next()) {
            n++;
        }
        assertThat(n).isEqualTo(2);
    }

    @Test
    void cursorIsReusable() {
        RtcpCompound cursor = new RtcpCompound();
        byte[] first = Hex.bytes(PLI + PLI);
        cursor.reset(first, 0, first.length);
        assertThat(cursor.next()).isTrue();
        byte[] second = Hex.bytes(NACK);
        assertThat(cursor.reset(second, 0, second.length)).isEqualTo(1);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.kind()).isEqualTo(RtcpKind.NACK);
        assertThat(cursor.buffer()).isSameAs(second);
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.offset()).isEqualTo(-1);
    }
}
