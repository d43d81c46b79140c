package org.conclave.sfu.rtp;

/**
 * Static view of an RTP packet (RFC 3550 §5.1) held in {@code byte[] b} at {@code off} with {@code len} bytes.
 *
 * <p>Call {@link #validate} once per packet; all other accessors assume a packet that validated and do no bounds
 * checks of their own. SSRCs are returned as the raw 32 bits in an {@code int} (compare with {@code ==}, print with
 * {@link Integer#toUnsignedString(int)}); RTP timestamps are returned as unsigned values in a {@code long}.
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int VERSION = 2;

    /** {@code off}/{@code len} do not lie within the array. */
    public static final int ERR_BOUNDS = -1;
    /** Shorter than the 12-byte fixed header. */
    public static final int ERR_TOO_SHORT = -2;
    /** Version field is not 2. */
    public static final int ERR_VERSION = -3;
    /** The CSRC list runs past the end of the packet. */
    public static final int ERR_CSRC = -4;
    /** The header extension (or its 4-byte header) runs past the end of the packet. */
    public static final int ERR_EXTENSION = -5;
    /** Padding bit set but the padding count is zero or larger than the payload. */
    public static final int ERR_PADDING = -6;

    private static final int RTCP_MUX_FIRST_TYPE = 192;
    private static final int RTCP_MUX_LAST_TYPE = 223;

    private RtpPacket() {
    }

    /**
     * Checks the structure of a packet.
     *
     * @return the header length (fixed header, CSRCs and header extension) or one of the negative {@code ERR_*} codes
     */
    public static int validate(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || len > b.length - off) {
            return ERR_BOUNDS;
        }
        if (len < FIXED_HEADER_LENGTH) {
            return ERR_TOO_SHORT;
        }
        int first = b[off] & 0xFF;
        if (first >>> 6 != VERSION) {
            return ERR_VERSION;
        }
        int headerLength = FIXED_HEADER_LENGTH + 4 * (first & 0x0F);
        if (headerLength > len) {
            return ERR_CSRC;
        }
        if ((first & 0x10) != 0) {
            if (headerLength + 4 > len) {
                return ERR_EXTENSION;
            }
            headerLength += 4 + 4 * Bytes.uint16(b, off + headerLength + 2);
            if (headerLength > len) {
                return ERR_EXTENSION;
            }
        }
        if ((first & 0x20) != 0) {
            int padding = b[off + len - 1] & 0xFF;
            if (padding == 0 || padding > len - headerLength) {
                return ERR_PADDING;
            }
        }
        return headerLength;
    }

    /**
     * rtcp-mux demultiplexing (RFC 5761 §4): a second byte of 192..223 means RTCP. Only meaningful for a datagram
     * already classified as RTP/RTCP (RFC 7983); safe on any input.
     */
    public static boolean isRtcp(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 2 || len > b.length - off) {
            return false;
        }
        int secondByte = b[off + 1] & 0xFF;
        return secondByte >= RTCP_MUX_FIRST_TYPE && secondByte <= RTCP_MUX_LAST_TYPE;
    }

    public static int version(byte[] b, int off) {
        return (b[off] & 0xFF) >>> 6;
    }

    public static boolean hasPadding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] b, int off) {
        return b[off] & 0x0F;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static int sequence(byte[] b, int off) {
        return Bytes.uint16(b, off + 2);
    }

    /** RTP timestamp, unsigned 32 bits. */
    public static long timestamp(byte[] b, int off) {
        return Bytes.uint32(b, off + 4);
    }

    /** SSRC as raw 32 bits. */
    public static int ssrc(byte[] b, int off) {
        return Bytes.int32(b, off + 8);
    }

    public static int csrc(byte[] b, int off, int index) {
        return Bytes.int32(b, off + FIXED_HEADER_LENGTH + 4 * index);
    }

    /** Offset (absolute, into {@code b}) of the 4-byte extension header, or -1 if the X bit is clear. */
    public static int extensionHeaderOffset(byte[] b, int off) {
        return hasExtension(b, off) ? off + FIXED_HEADER_LENGTH + 4 * csrcCount(b, off) : -1;
    }

    /** The "defined by profile" field of the header extension (0xBEDE, 0x100x, ...); -1 without extension. */
    public static int extensionProfile(byte[] b, int off) {
        int ext = extensionHeaderOffset(b, off);
        return ext < 0 ? -1 : Bytes.uint16(b, ext);
    }

    /** Length in bytes of the extension data (after its 4-byte header); 0 without extension. */
    public static int extensionDataLength(byte[] b, int off) {
        int ext = extensionHeaderOffset(b, off);
        return ext < 0 ? 0 : 4 * Bytes.uint16(b, ext + 2);
    }

    public static int headerLength(byte[] b, int off) {
        int length = FIXED_HEADER_LENGTH + 4 * csrcCount(b, off);
        if (hasExtension(b, off)) {
            length += 4 + 4 * Bytes.uint16(b, off + length + 2);
        }
        return length;
    }

    /** Absolute offset of the payload in {@code b}. */
    public static int payloadOffset(byte[] b, int off) {
        return off + headerLength(b, off);
    }

    public static int paddingLength(byte[] b, int off, int len) {
        return hasPadding(b, off) ? b[off + len - 1] & 0xFF : 0;
    }

    /** Payload length excluding padding. */
    public static int payloadLength(byte[] b, int off, int len) {
        return len - headerLength(b, off) - paddingLength(b, off, len);
    }

    /** Sets the payload type, keeping the marker bit. */
    public static void setPayloadType(byte[] b, int off, int payloadType) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    public static void setMarker(byte[] b, int off, boolean marker) {
        b[off + 1] = (byte) (marker ? b[off + 1] | 0x80 : b[off + 1] & 0x7F);
    }

    public static void setSequence(byte[] b, int off, int sequence) {
        Bytes.putUint16(b, off + 2, sequence);
    }

    public static void setTimestamp(byte[] b, int off, long timestamp) {
        Bytes.putInt32(b, off + 4, (int) timestamp);
    }

    public static void setSsrc(byte[] b, int off, int ssrc) {
        Bytes.putInt32(b, off + 8, ssrc);
    }
}
