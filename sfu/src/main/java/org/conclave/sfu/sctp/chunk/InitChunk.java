package org.conclave.sfu.sctp.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * INIT and INIT-ACK (RFC 9260 §3.3.2–3): the fixed fields plus the parameters WebRTC uses — Supported Extensions
 * (RFC 5061), Forward-TSN-Supported (RFC 3758) and, in INIT-ACK, the State Cookie. Address parameters and the Cookie
 * Preservative are recognised and ignored (no IP under DTLS). Other parameters follow the upper two bits of their type:
 * 00/01 stop reading parameters, 10/11 skip; 01/11 are kept in {@code unrecognizedParameters} (at most
 * {@link #MAX_REPORTED_PARAMETERS}) so that the receiver can report them. Checking the values (non-zero tag, non-zero
 * stream counts, a cookie in INIT-ACK) is the association's job: it must answer with ABORT.
 */
public record InitChunk(boolean ack, int initiateTag, long aRwnd, int outboundStreams, int inboundStreams,
                        int initialTsn, byte[] supportedExtensions, boolean forwardTsnSupported, byte[] stateCookie,
                        List<byte[]> unrecognizedParameters) implements Chunk {
    public static final int MAX_REPORTED_PARAMETERS = 4;
    public static final int PARAM_IPV4 = 5;
    public static final int PARAM_IPV6 = 6;
    public static final int PARAM_STATE_COOKIE = 7;
    public static final int PARAM_UNRECOGNIZED = 8;
    public static final int PARAM_COOKIE_PRESERVATIVE = 9;
    public static final int PARAM_HOST_NAME = 11;
    public static final int PARAM_SUPPORTED_ADDRESS_TYPES = 12;
    public static final int PARAM_SUPPORTED_EXTENSIONS = 0x8008;
    public static final int PARAM_FORWARD_TSN_SUPPORTED = 0xC000;
    private static final int FIXED_LENGTH = 20;

    public InitChunk {
        supportedExtensions = supportedExtensions == null ? new byte[0] : supportedExtensions;
        unrecognizedParameters = List.copyOf(unrecognizedParameters);
    }

    /** Whether the Supported Extensions parameter lists {@code chunkType}. */
    public boolean supportsExtension(int chunkType) {
        for (byte t : supportedExtensions) if ((t & 0xFF) == chunkType) return true;
        return false;
    }

    static InitChunk parse(boolean ack, byte[] b, int v, int valueLength) throws SctpFormatException {
        if (valueLength < FIXED_LENGTH - Chunk.HEADER_LENGTH) {
            throw new SctpFormatException("INIT shorter than 20 bytes");
        }
        byte[] extensions = null;
        boolean forwardTsn = false;
        byte[] cookie = null;
        List<byte[]> unrecognized = new ArrayList<>();
        TlvReader p = new TlvReader(b, v + 16, v + valueLength);
        while (p.next()) {
            switch (p.type) {
                case PARAM_STATE_COOKIE -> {
                    if (ack && cookie == null) cookie = p.value();
                }
                case PARAM_SUPPORTED_EXTENSIONS -> {
                    if (extensions == null) extensions = p.value();
                }
                case PARAM_FORWARD_TSN_SUPPORTED -> forwardTsn = true;
                case PARAM_IPV4, PARAM_IPV6, PARAM_UNRECOGNIZED, PARAM_COOKIE_PRESERVATIVE, PARAM_HOST_NAME,
                        PARAM_SUPPORTED_ADDRESS_TYPES -> { } // no IP addresses under DTLS; reports are informational
                default -> {
                    ChunkType.UnknownAction action = ChunkType.UnknownAction.of(p.type >>> 8);
                    if (action.reports() && unrecognized.size() < MAX_REPORTED_PARAMETERS) unrecognized.add(p.item());
                    if (action.stops()) return make(ack, b, v, extensions, forwardTsn, cookie, unrecognized);
                }
            }
        }
        return make(ack, b, v, extensions, forwardTsn, cookie, unrecognized);
    }

    private static InitChunk make(boolean ack, byte[] b, int v, byte[] extensions, boolean forwardTsn, byte[] cookie,
                                  List<byte[]> unrecognized) {
        return new InitChunk(ack, Wire.i32(b, v), Wire.u32(b, v + 4), Wire.u16(b, v + 8), Wire.u16(b, v + 10),
                Wire.i32(b, v + 12), extensions, forwardTsn, cookie, unrecognized);
    }

    @Override
    public int type() {
        return ack ? ChunkType.INIT_ACK : ChunkType.INIT;
    }

    @Override
    public int length() {
        int n = FIXED_LENGTH;
        for (Param p : parameters()) n = Wire.padded(n) + 4 + p.value.length;
        return n; // the last parameter's padding is not counted (RFC 9260 §3.2)
    }

    @Override
    public int write(byte[] b, int off) {
        int length = length();
        Wire.chunkHeader(b, off, type(), 0, length);
        Wire.put32(b, off + 4, initiateTag);
        Wire.put32(b, off + 8, aRwnd);
        Wire.put16(b, off + 12, outboundStreams);
        Wire.put16(b, off + 14, inboundStreams);
        Wire.put32(b, off + 16, initialTsn);
        int p = off + FIXED_LENGTH;
        for (Param param : parameters()) p = param(b, p, param.type, param.value);
        return Wire.padded(length);
    }

    private List<Param> parameters() {
        List<Param> params = new ArrayList<>();
        if (ack && stateCookie != null) params.add(new Param(PARAM_STATE_COOKIE, stateCookie));
        if (supportedExtensions.length > 0) params.add(new Param(PARAM_SUPPORTED_EXTENSIONS, supportedExtensions));
        if (forwardTsnSupported) params.add(new Param(PARAM_FORWARD_TSN_SUPPORTED, new byte[0]));
        if (ack) for (byte[] u : unrecognizedParameters) params.add(new Param(PARAM_UNRECOGNIZED, u));
        return params;
    }

    private record Param(int type, byte[] value) {
    }

    private static int param(byte[] b, int p, int type, byte[] value) {
        Wire.paramHeader(b, p, type, 4 + value.length);
        System.arraycopy(value, 0, b, p + 4, value.length);
        return p + Wire.padded(4 + value.length);
    }
}
