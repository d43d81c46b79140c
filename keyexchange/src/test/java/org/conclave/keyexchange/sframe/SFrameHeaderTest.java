package org.conclave.keyexchange.sframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.conclave.keyexchange.testing.Hex.bytes;
import static org.conclave.keyexchange.testing.Hex.hex;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests of the header codec beyond the RFC vectors: boundaries, non-minimal forms, truncation, offsets. */
class SFrameHeaderTest {

    @ParameterizedTest(name = "kid {0} ctr {1} -> {2}")
    @CsvSource({
            "0, 0, 00",
            "7, 7, 77",
            "8, 0, 8008",
            "0, 8, 0808",
            "255, 256, 89ff0100",
            "256, 255, 980100ff",
            "-1, 0, f0ffffffffffffffff",  // KID 2^64-1 in 8 bytes, CTR 0 inline
            "-1, -1, ffffffffffffffffffffffffffffffffff",
            "9223372036854775807, 1, f17fffffffffffffff",
    })
    void encodesMinimally(long kid, long ctr, String expected) throws SFrameException {
        assertThat(hex(SFrameHeader.encode(kid, ctr))).isEqualTo(expected);
        byte[] b = bytes(expected);
        assertThat(SFrameHeader.decode(b, 0, b.length)).isEqualTo(new SFrameHeader(kid, ctr, b.length));
    }

    @ParameterizedTest(name = "{0} -> kid {1} ctr {2} length {3}")
    @CsvSource({
            "'81 05', 5, 1, 2",                  // KID 5 in one extra byte: accepted, not minimal
            "'08 00', 0, 0, 2",                  // CTR 0 in one extra byte
            "'8f 00 0000000000000001', 0, 1, 10",
            "'00 ff ff', 0, 0, 1",               // trailing bytes are the payload
    })
    void acceptsNonMinimalAndStopsAtHeaderEnd(String in, long kid, long ctr, int length) throws SFrameException {
        byte[] b = bytes(in);
        assertThat(SFrameHeader.decode(b, 0, b.length)).isEqualTo(new SFrameHeader(kid, ctr, length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "''",
            "80",                                  // KID needs 1 byte
            "f0 01 02 03 04 05 06 07",             // KID needs 8 bytes, 7 present
            "08",                                  // CTR needs 1 byte
            "8f 01 00 00 00 00 00 00 00",          // CTR needs 8 bytes, 7 present
            "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff", // 16 of 17
    })
    void rejectsTruncatedHeaders(String in) {
        byte[] b = bytes(in);
        assertThatThrownBy(() -> SFrameHeader.decode(b, 0, b.length))
                .isInstanceOf(SFrameException.Syntax.class)
                .extracting(e -> ((SFrameException) e).reason()).isEqualTo(SFrameException.Reason.SYNTAX);
    }

    @ParameterizedTest(name = "range {0}")
    @CsvSource({"4", "3", "1"})
    void neverReadsPastTheGivenRange(int len) throws SFrameException {
        // At offset 1, header 99 0102 0304 is 5 bytes: a shorter range must fail rather than read the trailing bb.
        byte[] b = bytes("aa 99 01 02 03 04 bb");
        assertThatThrownBy(() -> SFrameHeader.decode(b, 1, len)).isInstanceOf(SFrameException.Syntax.class);
        assertThat(SFrameHeader.decode(b, 1, 5)).isEqualTo(new SFrameHeader(0x0102, 0x0304, 5));
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "7, 1", "8, 2", "255, 2", "256, 3", "-1, 9"})
    void extraBytesAreMinimal(long value, int bytesWithConfig) {
        assertThat(1 + SFrameHeader.extraBytes(value)).isEqualTo(bytesWithConfig);
    }
}
