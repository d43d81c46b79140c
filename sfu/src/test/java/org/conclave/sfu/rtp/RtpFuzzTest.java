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

        // Each reader's answers for every id, on both copies, compared in one call: Jazzer instruments this class like
        // the product, so each comparison written here is a call into the fuzzer (192 per input in a loop).
        readAll(low, len, lowReads);
        readAll(high, len, highReads);
        if (!Arrays.equals(lowReads, highReads)) {
            int i = Arrays.mismatch(lowReads, highReads);
            fail("%s(id %d) reads outside the packet: %d with 0x00 guards, %d with 0xFF", READERS[i % READERS.length],
                    IDS[i / READERS.length], lowReads[i], highReads[i]);
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

    private static final String[] READERS = {"find", "audioLevel", "absSendTime", "transportWideSequence"};
    /** Every one-byte id (0 and 15 included) and some two-byte ones, up to one past the largest. */
    private static final int[] IDS = java.util.stream.IntStream.iterate(0, id -> id <= 256, id -> id + (id < 16 ? 1 : 31))
            .toArray();
    private final long[] lowReads = new long[IDS.length * READERS.length];
    private final long[] highReads = new long[IDS.length * READERS.length];

    /** What each reader returns for each id, in the order of {@link #IDS} then {@link #READERS}. */
    private static void readAll(byte[] b, int len, long[] out) {
        int i = 0;
        for (int id : IDS) {
            out[i++] = HeaderExtensions.find(b, GUARD, len, id);
            out[i++] = HeaderExtensions.audioLevel(b, GUARD, len, id);
            out[i++] = HeaderExtensions.absSendTime(b, GUARD, len, id);
            out[i++] = HeaderExtensions.transportWideSequence(b, GUARD, len, id);
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
        // Two range comparisons around the sequence's bytes, not a comparison per byte (see readAll's caller).
        int before = readable ? at : len;
        int after = readable ? at + 2 : len;
        int changed = Arrays.mismatch(b, GUARD, GUARD + before, data, 0, before);
        if (changed < 0) {
            int later = Arrays.mismatch(b, GUARD + after, GUARD + len, data, after, len);
            changed = later < 0 ? -1 : after + later;
        }
        if (changed >= 0) {
            fail("byte %d changed from %d to %d (the sequence is at %d)", changed, data[changed], b[GUARD + changed], at);
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
        byte[] guards = new byte[GUARD];
        Arrays.fill(guards, guard);
        if (!Arrays.equals(b, 0, GUARD, guards, 0, GUARD) || !Arrays.equals(b, GUARD + len, GUARD + len + GUARD, guards, 0, GUARD)) {
            fail("a guard byte changed: %s", Arrays.toString(b));
        }
    }
}
