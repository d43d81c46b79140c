package org.conclave.sfu.rtp;

/**
 * RFC 8285 header extension elements, one-byte (profile 0xBEDE) and two-byte (profile 0x100x) forms.
 *
 * <p>Every method takes the whole RTP packet and validates it first, so it is safe on untrusted bytes. A malformed
 * element (one that runs past the extension block, or a one-byte header with ID 0 and a non-zero length) ends the
 * parse, as does the one-byte form's reserved ID 15; elements before it still count. Packets without an extension or
 * with another profile have no elements.
 */
public final class HeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Two-byte form: 0x100 followed by 4 "appbits". */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    private static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    /** One-byte form: ID 15 is reserved and stops parsing. */
    public static final int ONE_BYTE_STOP_ID = 15;
    public static final int ONE_BYTE_MAX_ID = 14;
    public static final int TWO_BYTE_MAX_ID = 255;

    /** Returned by {@link #find} when no element has the id. */
    public static final long NOT_FOUND = -1;

    static final int NO_ELEMENTS = 0;
    static final int ONE_BYTE = 1;
    static final int TWO_BYTE = 2;

    private static final int AUDIO_LEVEL_VOICE_BIT = 0x80;
    private static final int ABS_SEND_TIME_LENGTH = 3;
    private static final int TRANSPORT_WIDE_SEQ_LENGTH = 2;

    private HeaderExtensions() {
    }

    /**
     * Finds the first element with {@code id}.
     *
     * @return {@link #NOT_FOUND}, or the element's data offset (absolute, into {@code b}) and data length packed;
     *     unpack with {@link #dataOffset(long)} and {@link #dataLength(long)}
     */
    public static long find(byte[] b, int off, int len, int id) {
        if (id <= 0 || RtpPacket.validate(b, off, len) < 0) {
            return NOT_FOUND;
        }
        int form = form(b, off);
        if (form == NO_ELEMENTS) {
            return NOT_FOUND;
        }
        boolean twoByte = form == TWO_BYTE;
        int pos = RtpPacket.extensionHeaderOffset(b, off) + 4;
        int end = pos + RtpPacket.extensionDataLength(b, off);
        for (long e = nextElement(b, pos, end, twoByte); e != NOT_FOUND; e = nextElement(b, pos, end, twoByte)) {
            int header = elementPos(e);
            int dataOffset = header + (twoByte ? 2 : 1);
            if (elementId(e) == id) {
                return ((long) dataOffset << 32) | elementLength(e);
            }
            pos = dataOffset + elementLength(e);
        }
        return NOT_FOUND;
    }

    public static int dataOffset(long found) {
        return (int) (found >>> 32);
    }

    public static int dataLength(long found) {
        return (int) found;
    }

    /**
     * Rewrites element IDs in place: each element's id becomes {@code idMap[id] & 0xFF}; an element whose new id is 0,
     * out of {@code idMap}'s range, or not representable in the packet's form (above 14 in the one-byte form) is zeroed
     * into padding bytes. The packet length never changes.
     *
     * @return the number of elements kept, 0 for a packet without elements, or a negative {@link RtpPacket} error
     */
    public static int rewriteIds(byte[] b, int off, int len, byte[] idMap) {
        int headerLength = RtpPacket.validate(b, off, len);
        if (headerLength < 0) {
            return headerLength;
        }
        int form = form(b, off);
        if (form == NO_ELEMENTS) {
            return 0;
        }
        boolean twoByte = form == TWO_BYTE;
        int maxId = twoByte ? TWO_BYTE_MAX_ID : ONE_BYTE_MAX_ID;
        int pos = RtpPacket.extensionHeaderOffset(b, off) + 4;
        int end = pos + RtpPacket.extensionDataLength(b, off);
        int kept = 0;
        for (long e = nextElement(b, pos, end, twoByte); e != NOT_FOUND; e = nextElement(b, pos, end, twoByte)) {
            int header = elementPos(e);
            int id = elementId(e);
            int newId = idMap != null && id < idMap.length ? idMap[id] & 0xFF : 0;
            int elementEnd = header + (twoByte ? 2 : 1) + elementLength(e);
            if (newId == 0 || newId > maxId) {
                for (int i = header; i < elementEnd; i++) {
                    b[i] = 0;
                }
            } else {
                b[header] = twoByte ? (byte) newId : (byte) ((newId << 4) | (b[header] & 0x0F));
                kept++;
            }
            pos = elementEnd;
        }
        return kept;
    }

    /**
     * RFC 6464 client-to-mixer audio level.
     *
     * @return the raw byte (V bit 0x80 plus level 0..127, in -dBov) or -1 if absent; see {@link #voiceActivity(int)}
     *     and {@link #level(int)}
     */
    public static int audioLevel(byte[] b, int off, int len, int id) {
        long found = find(b, off, len, id);
        return found == NOT_FOUND || dataLength(found) < 1 ? -1 : b[dataOffset(found)] & 0xFF;
    }

    public static boolean voiceActivity(int rawAudioLevel) {
        return (rawAudioLevel & AUDIO_LEVEL_VOICE_BIT) != 0;
    }

    public static int level(int rawAudioLevel) {
        return rawAudioLevel & 0x7F;
    }

    /** abs-send-time: 24-bit 6.18 fixed point seconds, or -1 if absent or shorter than 3 bytes. */
    public static int absSendTime(byte[] b, int off, int len, int id) {
        long found = find(b, off, len, id);
        return found == NOT_FOUND || dataLength(found) < ABS_SEND_TIME_LENGTH ? -1 : Bytes.uint24(b, dataOffset(found));
    }

    /** transport-wide-cc sequence number (16 bits), or -1 if absent or too short. */
    public static int transportWideSequence(byte[] b, int off, int len, int id) {
        long found = find(b, off, len, id);
        return found == NOT_FOUND || dataLength(found) < TRANSPORT_WIDE_SEQ_LENGTH
                ? -1 : Bytes.uint16(b, dataOffset(found));
    }

    /** Overwrites the transport-wide-cc sequence number in place; false if the element is absent or too short. */
    public static boolean setTransportWideSequence(byte[] b, int off, int len, int id, int sequence) {
        long found = find(b, off, len, id);
        if (found == NOT_FOUND || dataLength(found) < TRANSPORT_WIDE_SEQ_LENGTH) {
            return false;
        }
        Bytes.putUint16(b, dataOffset(found), sequence);
        return true;
    }

    /** Which RFC 8285 form a validated packet's extension uses. */
    static int form(byte[] b, int off) {
        if (!RtpPacket.hasExtension(b, off)) {
            return NO_ELEMENTS;
        }
        int profile = RtpPacket.extensionProfile(b, off);
        if (profile == ONE_BYTE_PROFILE) {
            return ONE_BYTE;
        }
        return (profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE ? TWO_BYTE : NO_ELEMENTS;
    }

    /**
     * Finds the next element at or after {@code pos} (skipping padding bytes) within {@code [pos, end)}.
     *
     * @return {@link #NOT_FOUND} at the end, at ID 15 (one-byte) or at a malformed element; otherwise header position,
     *     id and data length packed (see {@link #elementPos}, {@link #elementId}, {@link #elementLength})
     */
    static long nextElement(byte[] b, int pos, int end, boolean twoByte) {
        while (pos < end && b[pos] == 0) {
            pos++;
        }
        if (pos >= end) {
            return NOT_FOUND;
        }
        int id;
        int dataLength;
        int dataStart;
        if (twoByte) {
            if (pos + 1 >= end) {
                return NOT_FOUND;
            }
            id = b[pos] & 0xFF;
            dataLength = b[pos + 1] & 0xFF;
            dataStart = pos + 2;
        } else {
            id = (b[pos] & 0xF0) >>> 4;
            dataLength = (b[pos] & 0x0F) + 1;
            dataStart = pos + 1;
            if (id == ONE_BYTE_STOP_ID || id == 0) {
                return NOT_FOUND;
            }
        }
        if (dataLength > end - dataStart) {
            return NOT_FOUND;
        }
        return ((long) dataLength << 40) | ((long) id << 32) | pos;
    }

    static int elementPos(long element) {
        return (int) element;
    }

    static int elementId(long element) {
        return (int) (element >>> 32) & 0xFF;
    }

    static int elementLength(long element) {
        return (int) (element >>> 40);
    }
}
