package org.conclave.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target for the RTP parsers and the header-extension readers and writers (ids, audio level, abs-send-time,
 * transport-wide sequence): never throws, never touches bytes outside the packet, never changes the packet's
 * length or layout. The packet sits between guard bytes, once with 0x00 guards and once with 0xFF guards: any read
 * outside {@code (off, len)} would make the two runs disagree, any write would change a guard.
 */
class RtpFuzzTest {
    private static final int GUARD = 8;
    /** Maps some ids to 0 (remove), some to ids above 14 (unusable in the one-byte form), some to others. */
    private static final byte[] ID_MAP = new byte[256];

    static {
        for (int id = 0; id < ID_MAP.length; id++) {
            ID_MAP[id] = (byte) ((id * 5 + 3) % 19);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void validateAndRewrite(byte[] data) {
        byte[] low = embed(data, (byte) 0x00);
        byte[] high = embed(data, (byte) 0xFF);
        int len = data.length;

        int headerLength = RtpPacket.validate(low, GUARD, len);
        assertThat(RtpPacket.validate(high, GUARD, len)).isEqualTo(headerLength);
        if (headerLength >= 0) {
            assertThat(headerLength).isBetween(RtpPacket.FIXED_HEADER_LENGTH, len);
            assertThat(RtpPacket.headerLength(low, GUARD)).isEqualTo(headerLength);
            assertThat(RtpPacket.payloadOffset(low, GUARD)).isEqualTo(GUARD + headerLength);
            int payloadLength = RtpPacket.payloadLength(low, GUARD, len);
            assertThat(payloadLength).isBetween(0, len - headerLength);
            assertThat(RtpPacket.isRtcp(low, GUARD, len)).isEqualTo(RtpPacket.isRtcp(high, GUARD, len));
        } else {
            assertThat(headerLength).isBetween(RtpPacket.ERR_PADDING, RtpPacket.ERR_BOUNDS);
        }

        // Plain comparisons in the loops, an assertion only on a difference: AssertJ objects per id and per byte were
        // most of an execution.
        for (int id = 0; id <= 256; id += id < 16 ? 1 : 31) {
            same("find", id, HeaderExtensions.find(low, GUARD, len, id), HeaderExtensions.find(high, GUARD, len, id));
            same("audioLevel", id, HeaderExtensions.audioLevel(low, GUARD, len, id),
                    HeaderExtensions.audioLevel(high, GUARD, len, id));
            same("absSendTime", id, HeaderExtensions.absSendTime(low, GUARD, len, id),
                    HeaderExtensions.absSendTime(high, GUARD, len, id));
            same("transportWideSequence", id, HeaderExtensions.transportWideSequence(low, GUARD, len, id),
                    HeaderExtensions.transportWideSequence(high, GUARD, len, id));
        }
        String elementsBefore = elements(low, len);
        assertThat(elements(high, len)).isEqualTo(elementsBefore);
        // The transport-wide sequence is written into the first element (when there is one), as the SFU does per receiver.
        assertSequenceWrite(data, elementsBefore.isEmpty() ? 1
                : Integer.parseInt(elementsBefore.substring(0, elementsBefore.indexOf(':'))));

        int keptLow = HeaderExtensions.rewriteIds(low, GUARD, len, ID_MAP);
        int keptHigh = HeaderExtensions.rewriteIds(high, GUARD, len, ID_MAP);
        assertThat(keptLow).isEqualTo(keptHigh);
        assertThat(Arrays.copyOfRange(low, GUARD, GUARD + len)).isEqualTo(Arrays.copyOfRange(high, GUARD, GUARD + len));
        assertGuards(low, (byte) 0x00, len);
        assertGuards(high, (byte) 0xFF, len);
        // Same layout: header length, payload and everything outside the extension data untouched.
        assertThat(RtpPacket.validate(low, GUARD, len)).isEqualTo(headerLength);
        if (headerLength >= 0 && RtpPacket.hasExtension(low, GUARD)) {
            int dataStart = RtpPacket.extensionHeaderOffset(low, GUARD) + 4;
            int dataEnd = dataStart + RtpPacket.extensionDataLength(low, GUARD);
            assertThat(Arrays.copyOfRange(low, GUARD, dataStart))
                    .isEqualTo(Arrays.copyOfRange(data, 0, dataStart - GUARD));
            assertThat(Arrays.copyOfRange(low, dataEnd, GUARD + len))
                    .isEqualTo(Arrays.copyOfRange(data, dataEnd - GUARD, len));
            long elementCount = elementsBefore.isEmpty() ? 0 : elementsBefore.chars().filter(c -> c == ';').count() + 1;
            assertThat(keptLow).isLessThanOrEqualTo((int) elementCount);
        } else {
            assertThat(Arrays.copyOfRange(low, GUARD, GUARD + len)).isEqualTo(data);
            assertThat(keptLow).isLessThanOrEqualTo(0);
        }
    }

    /** Writing a transport-wide sequence changes its two bytes only, and only where reading finds one. */
    private static void assertSequenceWrite(byte[] data, int id) {
        int len = data.length;
        byte[] b = embed(data, (byte) 0x33);
        boolean readable = HeaderExtensions.transportWideSequence(b, GUARD, len, id) >= 0;
        assertThat(HeaderExtensions.setTransportWideSequence(b, GUARD, len, id, 0xBEEF)).isEqualTo(readable);
        assertGuards(b, (byte) 0x33, len);
        int at = readable ? HeaderExtensions.dataOffset(HeaderExtensions.find(b, GUARD, len, id)) - GUARD : -2;
        if (readable) {
            assertThat(HeaderExtensions.transportWideSequence(b, GUARD, len, id)).isEqualTo(0xBEEF);
        }
        for (int i = 0; i < len; i++) {
            if (i != at && i != at + 1 && b[GUARD + i] != data[i]) {
                fail("byte %d changed from %d to %d (the sequence is at %d)", i, data[i], b[GUARD + i], at);
            }
        }
    }

    /** Every element the cursor yields lies inside the extension block. */
    private static String elements(byte[] b, int len) {
        ExtensionCursor cursor = new ExtensionCursor();
        StringBuilder sb = new StringBuilder();
        if (!cursor.reset(b, GUARD, len)) {
            assertThat(cursor.next()).isFalse();
            return "";
        }
        int dataStart = RtpPacket.extensionHeaderOffset(b, GUARD) + 4;
        int dataEnd = dataStart + RtpPacket.extensionDataLength(b, GUARD);
        while (cursor.next()) {
            if (cursor.dataOffset() < dataStart || cursor.dataOffset() + cursor.dataLength() > dataEnd) {
                fail("element %d at %d+%d outside [%d, %d]", cursor.id(), cursor.dataOffset(), cursor.dataLength(),
                        dataStart, dataEnd);
            }
            sb.append(sb.length() == 0 ? "" : ";").append(cursor.id()).append(':')
                    .append(Arrays.toString(Arrays.copyOfRange(b, cursor.dataOffset(), cursor.dataOffset() + cursor.dataLength())));
        }
        return sb.toString();
    }

    private static byte[] embed(byte[] data, byte guard) {
        byte[] b = new byte[GUARD + data.length + GUARD];
        Arrays.fill(b, guard);
        System.arraycopy(data, 0, b, GUARD, data.length);
        return b;
    }

    private static void assertGuards(byte[] b, byte guard, int len) {
        for (int i = 0; i < GUARD; i++) {
            if (b[i] != guard || b[GUARD + len + i] != guard) fail("guard byte %d changed", i);
        }
    }

    private static void same(String reader, int id, long low, long high) {
        if (low != high) fail("%s(id %d) reads outside the packet: %d with 0x00 guards, %d with 0xFF", reader, id, low, high);
    }
}
