package org.conclave.sfu.sctp.chunk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One error cause of an ABORT or ERROR chunk (RFC 9260 §3.3.10): a code and its cause-specific bytes. */
public record ErrorCause(int code, byte[] info) {
    public static final int INVALID_STREAM_IDENTIFIER = 1;
    public static final int MISSING_MANDATORY_PARAMETER = 2;
    public static final int STALE_COOKIE = 3;
    public static final int OUT_OF_RESOURCE = 4;
    public static final int UNRECOGNIZED_CHUNK_TYPE = 6;
    public static final int INVALID_MANDATORY_PARAMETER = 7;
    public static final int UNRECOGNIZED_PARAMETERS = 8;
    public static final int NO_USER_DATA = 9;
    public static final int COOKIE_WHILE_SHUTTING_DOWN = 10;
    public static final int USER_INITIATED_ABORT = 12;
    public static final int PROTOCOL_VIOLATION = 13;

    public static ErrorCause invalidStream(int streamId) {
        byte[] v = new byte[4];
        Wire.put16(v, 0, streamId);
        return new ErrorCause(INVALID_STREAM_IDENTIFIER, v);
    }

    public static ErrorCause staleCookie(long stalenessMicros) {
        byte[] v = new byte[4];
        Wire.put32(v, 0, Math.min(stalenessMicros, 0xFFFFFFFFL));
        return new ErrorCause(STALE_COOKIE, v);
    }

    public static ErrorCause noUserData(int tsn) {
        byte[] v = new byte[4];
        Wire.put32(v, 0, tsn);
        return new ErrorCause(NO_USER_DATA, v);
    }

    public static ErrorCause protocolViolation(String text) {
        return new ErrorCause(PROTOCOL_VIOLATION, text.getBytes(StandardCharsets.UTF_8));
    }

    public static ErrorCause userAbort(String text) {
        return new ErrorCause(USER_INITIATED_ABORT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code chunk} is the unrecognized chunk as received (header included, unpadded). */
    public static ErrorCause unrecognizedChunk(byte[] chunk) {
        return new ErrorCause(UNRECOGNIZED_CHUNK_TYPE, chunk);
    }

    public static ErrorCause unrecognizedParameters(List<byte[]> params) {
        int n = 0;
        for (byte[] p : params) n += Wire.padded(p.length);
        byte[] v = new byte[n];
        int off = 0;
        for (byte[] p : params) {
            System.arraycopy(p, 0, v, off, p.length);
            off += Wire.padded(p.length);
        }
        return new ErrorCause(UNRECOGNIZED_PARAMETERS, v);
    }

    int length() {
        return 4 + info.length;
    }

    static List<ErrorCause> parseAll(byte[] b, int v, int valueLength) throws SctpFormatException {
        List<ErrorCause> causes = new ArrayList<>();
        TlvReader r = new TlvReader(b, v, v + valueLength);
        while (r.next()) causes.add(new ErrorCause(r.type, r.value()));
        return causes;
    }

    static int lengthOf(List<ErrorCause> causes) {
        int n = 0;
        for (ErrorCause c : causes) n = Wire.padded(n) + c.length();
        return n;
    }

    static void writeAll(List<ErrorCause> causes, byte[] b, int off) {
        for (ErrorCause c : causes) {
            Wire.paramHeader(b, off, c.code, c.length());
            System.arraycopy(c.info, 0, b, off + 4, c.info.length);
            off += Wire.padded(c.length());
        }
    }

    /** A short human-readable description, e.g. for {@code onAssociationDown}. */
    public String describe() {
        return switch (code) {
            case USER_INITIATED_ABORT -> "user abort" + (info.length > 0 ? ": " + printable() : "");
            case PROTOCOL_VIOLATION -> "protocol violation" + (info.length > 0 ? ": " + printable() : "");
            case STALE_COOKIE -> "stale cookie";
            case INVALID_STREAM_IDENTIFIER -> "invalid stream identifier";
            case UNRECOGNIZED_CHUNK_TYPE -> "unrecognized chunk type";
            case NO_USER_DATA -> "no user data";
            default -> "error cause " + code;
        };
    }

    private String printable() {
        String s = new String(info, 0, Math.min(info.length, 200), StandardCharsets.UTF_8);
        return s.replaceAll("[^\\p{Print}]", "?");
    }
}
