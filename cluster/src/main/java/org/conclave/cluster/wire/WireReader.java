package org.conclave.cluster.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conclave.sfu.control.StreamMetadata;

/**
 * Reads one control message and refuses anything out of shape ({@link WireException}): a read past the end, a length
 * beyond what is left or beyond the limits, malformed UTF-8, an unknown enum name, a boolean other than 0 or 1, and
 * bytes left over at the end. Nothing is allocated in proportion to a length before it is checked against what is
 * there.
 */
final class WireReader {
    /** The largest message: SDPs of big conferences stay well under it (the SFU caps m-lines per participant). */
    static final int MAX_MESSAGE_BYTES = 1 << 20;
    static final int MAX_STRING_BYTES = 512 * 1024;
    /** Stream metadata entries in one message (the SFU sends at most one per remote stream of a conference). */
    static final int MAX_STREAMS = 4096;
    private static final int MAX_ENUM_NAME_BYTES = 64;

    private final Buffer buffer;
    private int position;

    WireReader(Buffer buffer) {
        if (buffer == null) throw new WireException("no message");
        if (buffer.length() > MAX_MESSAGE_BYTES) {
            throw new WireException("message of " + buffer.length() + " bytes is over the " + MAX_MESSAGE_BYTES
                    + "-byte limit");
        }
        this.buffer = buffer;
    }

    int u8() {
        need(1);
        return buffer.getUnsignedByte(position++);
    }

    boolean bool() {
        int b = u8();
        if (b > 1) throw new WireException("boolean byte " + b + " at " + (position - 1));
        return b == 1;
    }

    int i32() {
        need(4);
        int v = buffer.getInt(position);
        position += 4;
        return v;
    }

    /** A non-negative count, at most {@code max}. */
    int count(int max, String what) {
        int n = i32();
        if (n < 0 || n > max) throw new WireException(what + " count " + n + " is outside 0.." + max);
        return n;
    }

    long i64() {
        need(8);
        long v = buffer.getLong(position);
        position += 8;
        return v;
    }

    double f64() {
        need(8);
        double v = buffer.getDouble(position);
        position += 8;
        return v;
    }

    String string() {
        return string(MAX_STRING_BYTES);
    }

    String string(int maxBytes) {
        int length = i32();
        if (length < 0 || length > maxBytes) {
            throw new WireException("string length " + length + " at " + (position - 4) + " is outside 0.." + maxBytes);
        }
        need(length);
        ByteBuffer bytes = ByteBuffer.wrap(buffer.getBytes(position, position + length));
        position += length;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new WireException("malformed UTF-8 in a string ending at " + position);
        }
    }

    String nullable() {
        return bool() ? string() : null;
    }

    <E extends Enum<E>> E name(Class<E> type) {
        String name = string(MAX_ENUM_NAME_BYTES);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new WireException("unknown " + type.getSimpleName() + " " + name);
        }
    }

    Map<String, StreamMetadata> metadata() {
        int n = count(MAX_STREAMS, "stream metadata");
        Map<String, StreamMetadata> streams = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = string();
            StreamMetadata m = new StreamMetadata(name(StreamMetadata.Purpose.class), bool(), bool(), nullable());
            if (streams.put(id, m) != null) throw new WireException("stream " + id + " described twice");
        }
        return streams;
    }

    /** The message must end here. */
    void end() {
        if (position != buffer.length()) {
            throw new WireException((buffer.length() - position) + " bytes left over after the message");
        }
    }

    private void need(int bytes) {
        if (bytes > buffer.length() - position) {
            throw new WireException("message ends at " + buffer.length() + ", needed " + bytes + " more bytes at "
                    + position);
        }
    }
}
