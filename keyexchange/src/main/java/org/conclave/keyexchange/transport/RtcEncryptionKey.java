package org.conclave.keyexchange.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.conclave.keyexchange.keys.MediaKey;

/**
 * Content of the MSC4143 to-device message {@code m.rtc.encryption_key}
 * ({@code org.matrix.msc4143.rtc.encryption_key} while unstable):
 * {@code {"room_id":"!r:hs","member_id":"...","media_key":{"index":0,"key":"<unpadded base64>"}}}. Sent Olm-encrypted
 * to each member's device, so unlike the room event it needs no room-encryption check.
 */
public record RtcEncryptionKey(String roomId, String memberId, MediaKey key) {
    public static final String EVENT_TYPE = "m.rtc.encryption_key";
    public static final String UNSTABLE_EVENT_TYPE = "org.matrix.msc4143.rtc.encryption_key";

    /** Whether a to-device message of this type is a media key. */
    public static boolean isKeyEventType(String eventType) {
        return EVENT_TYPE.equals(eventType) || UNSTABLE_EVENT_TYPE.equals(eventType);
    }

    public String toContentJson() {
        ObjectNode content = JsonContent.MAPPER.createObjectNode();
        content.put("room_id", roomId);
        content.put("member_id", memberId);
        content.set("media_key", JsonContent.mediaKeyNode(key));
        return JsonContent.write(content);
    }

    /** Reads a received to-device content of type {@code eventType} (stable or unstable name). */
    public static RtcEncryptionKey parse(String eventType, String contentJson) throws KeyTransportException.Malformed {
        if (!isKeyEventType(eventType)) {
            throw new KeyTransportException.Malformed("event type " + eventType + " is not " + EVENT_TYPE);
        }
        JsonNode content = JsonContent.parseObject(contentJson, EVENT_TYPE + " content");
        String roomId = JsonContent.string(content, "room_id");
        String memberId = JsonContent.string(content, "member_id");
        MediaKey key = JsonContent.mediaKey(JsonContent.object(content, "media_key"));
        return new RtcEncryptionKey(roomId, memberId, key);
    }
}
