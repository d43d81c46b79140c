package org.conclave.appservice.call;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conclave.sfu.control.StreamMetadata;

/**
 * {@code sdp_stream_metadata} (MSC3077; MSC3898 adds the sender) both ways. Clients write it under the stable key
 * (matrix-js-sdk 41+) or the unstable one (up to 40); the bot writes both, since matrix-js-sdk keeps only one remote
 * feed without it and reads either. Keyed by msid stream id; what a client says is untrusted and bounded.
 */
final class SdpStreamMetadata {
    static final String KEY = "sdp_stream_metadata";
    static final String UNSTABLE_KEY = "org.matrix.msc3077.sdp_stream_metadata";
    /** A client describes its own streams: a camera and a screen share, a few more at most. */
    static final int MAX_STREAMS = 64;
    static final int MAX_STREAM_ID_CHARS = 256;

    private SdpStreamMetadata() {}

    /**
     * The client's description of its own streams in an invite, negotiate or metadata change: the stable key when
     * present, else the unstable one; entries that are not objects or whose id is empty or too long are left out,
     * and at most {@link #MAX_STREAMS} are read. Empty when the content has none.
     */
    static Map<String, StreamMetadata> read(JsonObject content) {
        Object value = content.getValue(KEY);
        if (!(value instanceof JsonObject)) value = content.getValue(UNSTABLE_KEY);
        Map<String, StreamMetadata> streams = new LinkedHashMap<>();
        if (!(value instanceof JsonObject all)) return streams;
        for (String streamId : all.fieldNames()) {
            if (streams.size() == MAX_STREAMS) break;
            if (streamId.isEmpty() || streamId.length() > MAX_STREAM_ID_CHARS) continue;
            if (!(all.getValue(streamId) instanceof JsonObject stream)) continue;
            streams.put(streamId, StreamMetadata.own(
                    StreamMetadata.Purpose.fromWire(stream.getValue("purpose") instanceof String p ? p : null),
                    Boolean.TRUE.equals(stream.getValue("audio_muted")),
                    Boolean.TRUE.equals(stream.getValue("video_muted"))));
        }
        return streams;
    }

    /** Puts the SFU's streams under both keys: purpose, mute state, the sender's {@code user_id}/{@code device_id}. */
    static JsonObject put(JsonObject content, Map<String, StreamMetadata> streams) {
        JsonObject all = new JsonObject();
        streams.forEach((streamId, m) -> {
            JsonObject stream = new JsonObject().put("purpose", m.purpose().wire()).put("audio_muted", m.audioMuted())
                    .put("video_muted", m.videoMuted());
            Participant sender = Participant.parse(m.participantId());
            if (sender.userId() != null) stream.put("user_id", sender.userId());
            if (sender.deviceId() != null) stream.put("device_id", sender.deviceId());
            all.put(streamId, stream);
        });
        return content.put(KEY, all).put(UNSTABLE_KEY, all.copy());
    }
}
