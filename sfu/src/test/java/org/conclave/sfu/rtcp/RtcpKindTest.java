package org.conclave.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpKindTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "SR no blocks;               80 c8 00 06 | 00 00 00 01 | 00 00 00 00 00 00 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00; SENDER_REPORT",
            "SR claims a block;          81 c8 00 06 | 00 00 00 01 | 00 00 00 00 00 00 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00; MALFORMED",
            "SR too short;               80 c8 00 01 | 00 00 00 01; MALFORMED",
            "RR no blocks;               80 c9 00 01 | 00 00 00 01; RECEIVER_REPORT",
            "RR claims a block;          81 c9 00 01 | 00 00 00 01; MALFORMED",
            "RR with profile extension;  80 c9 00 02 | 00 00 00 01 | ff ff ff ff; RECEIVER_REPORT",
            "SDES;                       81 ca 00 03 | 00 00 00 01 | 01 04 61 62 63 64 | 00 00; SDES",
            "BYE one SSRC;               81 cb 00 01 | 11 22 33 44; BYE",
            "BYE claims two;             82 cb 00 01 | 11 22 33 44; MALFORMED",
            "BYE with reason;            81 cb 00 03 | 11 22 33 44 | 03 62 79 65 | 00 00 00 00; BYE",
            "APP;                        80 cc 00 02 | 11 22 33 44 | 61 62 63 64; APP",
            "APP without name;           80 cc 00 01 | 11 22 33 44; MALFORMED",
            "NACK;                       81 cd 00 03 | 00 00 00 01 | 00 00 00 02 | 00 64 00 00; NACK",
            "NACK without FCI;           81 cd 00 02 | 00 00 00 01 | 00 00 00 02; MALFORMED",
            "NACK, padding eats FCI;     a1 cd 00 03 | 00 00 00 01 | 00 00 00 02 | 00 00 00 04; MALFORMED",
            "RTPFB shorter than header;  81 cd 00 01 | 00 00 00 01; MALFORMED",
            "TMMBR;                      83 cd 00 04 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 10 0b b8 28; TMMBR",
            "TMMBR without FCI;          83 cd 00 02 | 00 00 00 01 | 00 00 00 00; MALFORMED",
            "TMMBR half entry;           83 cd 00 03 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02; MALFORMED",
            "TMMBN empty;                84 cd 00 02 | 00 00 00 01 | 00 00 00 00; TMMBN",
            "transport-cc;               8f cd 00 04 | 00 00 00 01 | 00 00 00 02 | 00 05 00 00 | 00 00 01 07; TRANSPORT_CC",
            "transport-cc too short;     8f cd 00 03 | 00 00 00 01 | 00 00 00 02 | 00 05 00 00; MALFORMED",
            "RTPFB FMT 7;                87 cd 00 02 | 00 00 00 01 | 00 00 00 02; RTPFB_OTHER",
            "PLI;                        81 ce 00 02 | 00 00 00 01 | 00 00 00 02; PLI",
            "PLI with padding;           a1 ce 00 03 | 00 00 00 01 | 00 00 00 02 | 00 00 00 04; PLI",
            "PLI too short;              81 ce 00 01 | 00 00 00 01; MALFORMED",
            "FIR;                        84 ce 00 04 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 07 00 00 00; FIR",
            "FIR two entries;            84 ce 00 06 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 07 00 00 00 | 00 00 00 03 | 08 00 00 00; FIR",
            "FIR without entry;          84 ce 00 02 | 00 00 00 01 | 00 00 00 00; MALFORMED",
            "FIR entry and a half;       84 ce 00 05 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 07 00 00 00 | 00 00 00 03; MALFORMED",
            "REMB one SSRC;              8f ce 00 05 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 01 00 fa 00 | 00 00 00 09; REMB",
            "REMB no SSRC;               8f ce 00 04 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 00 00 fa 00; REMB",
            "REMB claims two SSRCs;      8f ce 00 05 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 02 00 fa 00 | 00 00 00 09; MALFORMED",
            "REMB identifier only;       8f ce 00 03 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42; MALFORMED",
            "AFB not REMB;               8f ce 00 04 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 43 | 00 00 00 00; PSFB_OTHER",
            "AFB empty;                  8f ce 00 02 | 00 00 00 01 | 00 00 00 00; PSFB_OTHER",
            "PSFB SLI;                   82 ce 00 03 | 00 00 00 01 | 00 00 00 02 | 00 00 00 00; PSFB_OTHER",
            "XR;                         80 cf 00 01 | 00 00 00 01; UNKNOWN",
            "bad version;                40 c9 00 01 | 00 00 00 01; MALFORMED",
            "length field disagrees;     80 c9 00 02 | 00 00 00 01 | 00 00 00 00 | 00 00 00 00; MALFORMED",
    })
    void kind(String name, String hex, RtcpKind expected) {
        byte[] b = Hex.embedded(1, hex, 2);
        assertThat(RtcpPacket.kind(b, 1, b.length - 3)).isEqualTo(expected);
    }

    @Test
    void kindIsSafeOnBadBounds() {
        byte[] b = Hex.bytes("81 ce 00 02 00 00 00 01 00 00 00 02");
        assertThat(RtcpPacket.kind(b, 0, 12)).isEqualTo(RtcpKind.PLI);
        assertThat(RtcpPacket.kind(b, 1, 12)).isEqualTo(RtcpKind.MALFORMED);
        assertThat(RtcpPacket.kind(b, 0, 3)).isEqualTo(RtcpKind.MALFORMED);
        assertThat(RtcpPacket.kind(null, 0, 12)).isEqualTo(RtcpKind.MALFORMED);
        assertThat(RtcpPacket.kind(b, -4, 12)).isEqualTo(RtcpKind.MALFORMED);
    }
}
