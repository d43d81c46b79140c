package org.conclave.cluster.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.conclave.sfu.control.StreamMetadata;

/** Builds one control message: fixed-width integers (big-endian), length-prefixed UTF-8 strings, enums by name. */
final class WireWriter {
    private final Buffer buffer = Buffer.buffer(256);

    WireWriter u8(int value) {
        buffer.appendByte((byte) value);
        return this;
    }

    WireWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    WireWriter i32(int value) {
        buffer.appendInt(value);
        return this;
    }

    WireWriter i64(long value) {
        buffer.appendLong(value);
        return this;
    }

    WireWriter f64(double value) {
        buffer.appendDouble(value);
        return this;
    }

    WireWriter string(String value) {
        if (value == null) throw new IllegalArgumentException("a required string is null");
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > WireReader.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string of " + bytes.length + " bytes is too long for the wire");
        }
        buffer.appendInt(bytes.length).appendBytes(bytes);
        return this;
    }

    /** A string that may be null: a presence byte first. */
    WireWriter nullable(String value) {
        bool(value != null);
        return value == null ? this : string(value);
    }

    WireWriter name(Enum<?> value) {
        return string(value.name());
    }

    WireWriter metadata(Map<String, StreamMetadata> streams) {
        if (streams.size() > WireReader.MAX_STREAMS) {
            throw new IllegalArgumentException(streams.size() + " streams are too many for the wire");
        }
        i32(streams.size());
        streams.forEach((id, m) -> string(id).name(m.purpose()).bool(m.audioMuted()).bool(m.videoMuted())
                .nullable(m.participantId()));
        return this;
    }

    Buffer buffer() {
        if (buffer.length() > WireReader.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("a message of " + buffer.length() + " bytes is too long for the wire");
        }
        return buffer;
    }
}
