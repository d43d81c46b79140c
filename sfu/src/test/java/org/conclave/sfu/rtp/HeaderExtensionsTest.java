package org.conclave.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderExtensionsTest {
    private static final String FIXED = "90 6f 00 01 00 00 00 01 00 00 00 01";
    private static final String PAYLOAD = "aa bb";
    private static final int PREFIX = 4;

    /** An RTP packet with the X bit and {@code extension} (its 4-byte header and data), embedded at PREFIX. */
    private static byte[] packet(String extension) {
        return Hex.embedded(PREFIX, FIXED + extension + PAYLOAD, 3);
    }

    private static int len(byte[] packet) {
        return packet.length - PREFIX - 3;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "one-byte, single element;             be de 00 01 | 10 ff 00 00;              1; ff",
            "one-byte, absent id;                  be de 00 01 | 10 ff 00 00;              2; none",
            "one-byte, 16-byte element;            be de 00 05 | 1f 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 00 00 00; 1; 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
            "one-byte, after padding;              be de 00 02 | 00 22 aa bb cc 00 31 dd; 2; aa bb cc",
            "one-byte, element overruns block;     be de 00 02 | 00 22 aa bb cc 00 31 dd; 3; none",
            "one-byte, second of two;              be de 00 01 | 10 aa 20 bb;              2; bb",
            "one-byte, id 15 stops parsing;        be de 00 02 | 10 aa f0 20 bb 00 00 00; 2; none",
            "one-byte, before id 15;               be de 00 02 | 10 aa f0 20 bb 00 00 00; 1; aa",
            "one-byte, id 0 with length stops;     be de 00 02 | 02 aa bb cc 10 dd 00 00; 1; none",
            "one-byte, only padding;               be de 00 01 | 00 00 00 00;              1; none",
            "one-byte, empty block;                be de 00 00;                            1; none",
            "one-byte, id 0 is never found;        be de 00 01 | 10 ff 00 00;              0; none",
            "two-byte, zero-length element;        10 00 00 02 | 01 00 02 02 aa bb 00 00; 1; ''",
            "two-byte, second element;             10 00 00 02 | 01 00 02 02 aa bb 00 00; 2; aa bb",
            "two-byte, appbits in profile;         10 0f 00 01 | 07 01 cc 00;              7; cc",
            "two-byte, id above 14;                10 00 00 01 | 20 01 dd 00;              32; dd",
            "two-byte, padding between;            10 00 00 02 | 00 00 03 02 ee ff 00 00; 3; ee ff",
            "two-byte, length byte missing;        10 00 00 01 | 00 00 00 05;              5; none",
            "two-byte, element overruns;           10 00 00 01 | 04 05 01 02;              4; none",
            "two-byte, 255-byte id;                10 00 00 01 | ff 01 77 00;              255; 77",
            "unknown profile;                      ab cd 00 01 | 10 ff 00 00;              1; none",
            "0x2000 is not two-byte;               20 00 00 01 | 01 01 ff 00;              1; none",
    })
    void find(String name, String extension, int id, String expectedData) {
        byte[] b = packet(extension);
        long found = HeaderExtensions.find(b, PREFIX, len(b), id);
        if (expectedData.equals("none")) {
            assertThat(found).isEqualTo(HeaderExtensions.NOT_FOUND);
        } else {
            assertThat(found).isNotEqualTo(HeaderExtensions.NOT_FOUND);
            int dataLength = HeaderExtensions.dataLength(found);
            assertThat(Hex.string(b, HeaderExtensions.dataOffset(found), dataLength))
                    .isEqualTo(Hex.string(Hex.bytes(expectedData), 0, Hex.bytes(expectedData).length));
        }
    }

    @Test
    void findOnPacketsWithoutElementsOrInvalid() {
        byte[] plain = Hex.bytes("80 6f 00 01 00 00 00 01 00 00 00 01 aa");
        assertThat(HeaderExtensions.find(plain, 0, plain.length, 1)).isEqualTo(HeaderExtensions.NOT_FOUND);
        byte[] cut = Hex.bytes(FIXED + "be de 00 02 10 aa 00 00");
        assertThat(HeaderExtensions.find(cut, 0, cut.length, 1)).isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(HeaderExtensions.find(cut, 0, cut.length + 1, 1)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "one-byte, map and remove;        be de 00 02 | 10 aa 21 bb cc 00 00 00; 1=5 2=0;       be de 00 02 | 50 aa 00 00 00 00 00 00; 1",
            "one-byte, identity;              be de 00 02 | 10 aa 21 bb cc 00 00 00; 1=1 2=2;       be de 00 02 | 10 aa 21 bb cc 00 00 00; 2",
            "one-byte, swap ids;              be de 00 02 | 10 aa 21 bb cc 00 00 00; 1=2 2=1;       be de 00 02 | 20 aa 11 bb cc 00 00 00; 2",
            "one-byte, target 15 unusable;    be de 00 01 | 10 aa 00 00;             1=15;          be de 00 01 | 00 00 00 00;             0",
            "one-byte, id beyond map;         be de 00 01 | 30 aa 40 bb;             1=1 2=2;       be de 00 01 | 00 00 00 00;             0",
            "one-byte, keeps length nibble;   be de 00 02 | 03 00 00 00 00 00 00 00; 1=1;           be de 00 02 | 03 00 00 00 00 00 00 00; 0",
            "one-byte, stops at id 15;        be de 00 02 | 10 aa f0 20 bb 00 00 00; 1=2 2=3;       be de 00 02 | 20 aa f0 20 bb 00 00 00; 1",
            "one-byte, malformed tail kept;   be de 00 02 | 10 aa 25 bb cc dd ee 00; 1=4 2=5;       be de 00 02 | 40 aa 25 bb cc dd ee 00; 1",
            "one-byte, padding kept;          be de 00 02 | 00 00 12 aa bb cc 00 00; 1=9;           be de 00 02 | 00 00 92 aa bb cc 00 00; 1",
            "two-byte, map and remove;        10 00 00 02 | 01 01 aa 02 02 bb cc 00; 1=200 2=0;     10 00 00 02 | c8 01 aa 00 00 00 00 00; 1",
            "two-byte, zero-length element;   10 00 00 01 | 01 00 02 00;             1=3 2=4;       10 00 00 01 | 03 00 04 00;             2",
            "two-byte, remove zero-length;    10 00 00 01 | 01 00 02 00;             1=0 2=4;       10 00 00 01 | 00 00 04 00;             1",
            "two-byte, id 255;                10 00 00 01 | ff 01 77 00;             255=16;        10 00 00 01 | 10 01 77 00;             1",
            "two-byte, overrun tail kept;     10 00 00 01 | 01 00 05 09;             1=2 5=6;       10 00 00 01 | 02 00 05 09;             1",
            "unknown profile untouched;       ab cd 00 01 | 10 ff 00 00;             1=0;           ab cd 00 01 | 10 ff 00 00;             0",
    })
    void rewriteIds(String name, String extension, String mapping, String expectedExtension, int expectedKept) {
        byte[] b = packet(extension);
        byte[] expected = packet(expectedExtension);
        byte[] idMap = new byte[256];
        int maxId = 0;
        for (String pair : mapping.trim().split("\\s+")) {
            String[] kv = pair.split("=");
            idMap[Integer.parseInt(kv[0])] = (byte) Integer.parseInt(kv[1]);
            maxId = Math.max(maxId, Integer.parseInt(kv[0]));
        }
        // A map only as long as needed, so ids beyond it exercise the range check.
        byte[] shortMap = java.util.Arrays.copyOf(idMap, maxId + 1);

        assertThat(HeaderExtensions.rewriteIds(b, PREFIX, len(b), shortMap)).isEqualTo(expectedKept);
        assertThat(Hex.string(b, 0, b.length)).isEqualTo(Hex.string(expected, 0, expected.length));
    }

    @Test
    void rewriteIdsLeavesOtherPacketsAlone() {
        byte[] plain = Hex.bytes("80 6f 00 01 00 00 00 01 00 00 00 01 aa");
        assertThat(HeaderExtensions.rewriteIds(plain, 0, plain.length, new byte[16])).isZero();
        assertThat(Hex.string(plain, 0, plain.length)).isEqualTo("80 6f 00 01 00 00 00 01 00 00 00 01 aa");

        byte[] bad = Hex.bytes(FIXED + "be de 00 03 10 aa 00 00");
        String before = Hex.string(bad, 0, bad.length);
        assertThat(HeaderExtensions.rewriteIds(bad, 0, bad.length, new byte[16])).isEqualTo(RtpPacket.ERR_EXTENSION);
        assertThat(Hex.string(bad, 0, bad.length)).isEqualTo(before);

        byte[] ok = packet("be de 00 01 | 10 aa 00 00");
        assertThat(HeaderExtensions.rewriteIds(ok, PREFIX, len(ok), null)).isZero();
        assertThat(HeaderExtensions.find(ok, PREFIX, len(ok), 1)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void rewrittenPacketStillValidatesWithSameLayout() {
        byte[] b = packet("be de 00 03 | 10 aa 22 01 02 03 30 bb 41 cc dd 00");
        int headerLength = RtpPacket.validate(b, PREFIX, len(b));
        byte[] map = new byte[16];
        map[1] = 7;
        map[3] = 0;
        map[2] = 6;
        map[4] = 8;
        assertThat(HeaderExtensions.rewriteIds(b, PREFIX, len(b), map)).isEqualTo(3);
        assertThat(RtpPacket.validate(b, PREFIX, len(b))).isEqualTo(headerLength);
        assertThat(HeaderExtensions.find(b, PREFIX, len(b), 3)).isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(Hex.string(b, HeaderExtensions.dataOffset(HeaderExtensions.find(b, PREFIX, len(b), 6)), 3))
                .isEqualTo("01 02 03");
        assertThat(Hex.string(b, HeaderExtensions.dataOffset(HeaderExtensions.find(b, PREFIX, len(b), 8)), 2))
                .isEqualTo("cc dd");
        assertThat(Hex.string(b, RtpPacket.payloadOffset(b, PREFIX), 2)).isEqualTo(PAYLOAD);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "voice, level 85;       be de 00 01 | 10 d5 00 00; 1; true;  85",
            "silence, level 42;     be de 00 01 | 10 2a 00 00; 1; false; 42",
            "level 127;             be de 00 01 | 30 7f 00 00; 3; false; 127",
            "two bytes, first used; be de 00 01 | 11 80 ff 00; 1; true;  0",
            "two-byte form;         10 00 00 01 | 01 01 81 00; 1; true;  1",
    })
    void audioLevel(String name, String extension, int id, boolean voice, int level) {
        byte[] b = packet(extension);
        int raw = HeaderExtensions.audioLevel(b, PREFIX, len(b), id);
        assertThat(raw).isNotNegative();
        assertThat(HeaderExtensions.voiceActivity(raw)).isEqualTo(voice);
        assertThat(HeaderExtensions.level(raw)).isEqualTo(level);
    }

    @Test
    void audioLevelAbsent() {
        byte[] b = packet("be de 00 01 | 10 d5 00 00");
        assertThat(HeaderExtensions.audioLevel(b, PREFIX, len(b), 2)).isEqualTo(-1);
        byte[] empty = packet("10 00 00 01 | 01 00 00 00");
        assertThat(HeaderExtensions.audioLevel(empty, PREFIX, len(empty), 1)).isEqualTo(-1);
    }

    @Test
    void absSendTime() {
        byte[] b = packet("be de 00 01 | 32 12 34 56");
        assertThat(HeaderExtensions.absSendTime(b, PREFIX, len(b), 3)).isEqualTo(0x123456);
        byte[] high = packet("be de 00 01 | 32 ff ff ff");
        assertThat(HeaderExtensions.absSendTime(high, PREFIX, len(high), 3)).isEqualTo(0xFFFFFF);
        byte[] tooShort = packet("be de 00 01 | 31 12 34 00");
        assertThat(HeaderExtensions.absSendTime(tooShort, PREFIX, len(tooShort), 3)).isEqualTo(-1);
        assertThat(HeaderExtensions.absSendTime(b, PREFIX, len(b), 4)).isEqualTo(-1);
    }

    @Test
    void transportWideSequenceReadAndWrite() {
        byte[] b = packet("be de 00 01 | 51 01 02 00");
        assertThat(HeaderExtensions.transportWideSequence(b, PREFIX, len(b), 5)).isEqualTo(0x0102);
        assertThat(HeaderExtensions.setTransportWideSequence(b, PREFIX, len(b), 5, 0xABCD)).isTrue();
        assertThat(HeaderExtensions.transportWideSequence(b, PREFIX, len(b), 5)).isEqualTo(0xABCD);
        assertThat(Hex.string(b, PREFIX + 16, 4)).isEqualTo("51 ab cd 00");
        assertThat(HeaderExtensions.setTransportWideSequence(b, PREFIX, len(b), 6, 1)).isFalse();
        byte[] oneByte = packet("be de 00 01 | 50 01 00 00");
        assertThat(HeaderExtensions.transportWideSequence(oneByte, PREFIX, len(oneByte), 5)).isEqualTo(-1);
        assertThat(HeaderExtensions.setTransportWideSequence(oneByte, PREFIX, len(oneByte), 5, 7)).isFalse();
    }

    @Test
    void cursorWalksElementsSkippingPadding() {
        byte[] b = packet("be de 00 03 | 00 10 aa 00 22 01 02 03 31 bb cc f0 55 00");
        ExtensionCursor cursor = new ExtensionCursor();
        assertThat(cursor.reset(b, PREFIX, len(b))).isTrue();
        assertThat(cursor.twoByteForm()).isFalse();
        assertThat(elements(cursor, b)).containsExactly("1:aa", "2:01 02 03", "3:bb cc");
        assertThat(cursor.next()).isFalse();

        byte[] two = packet("10 00 00 02 | 01 00 00 09 02 aa bb 00");
        assertThat(cursor.reset(two, PREFIX, len(two))).isTrue();
        assertThat(cursor.twoByteForm()).isTrue();
        assertThat(elements(cursor, two)).containsExactly("1:", "9:aa bb");

        byte[] plain = Hex.bytes("80 6f 00 01 00 00 00 01 00 00 00 01");
        assertThat(cursor.reset(plain, 0, plain.length)).isFalse();
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.reset(b, PREFIX, len(b) + 100)).isFalse();
        assertThat(cursor.next()).isFalse();
    }

    private static List<String> elements(ExtensionCursor cursor, byte[] b) {
        List<String> out = new ArrayList<>();
        while (cursor.next()) {
            out.add(cursor.id() + ":" + Hex.string(b, cursor.dataOffset(), cursor.dataLength()));
        }
        return out;
    }
}
