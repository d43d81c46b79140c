package org.conclave.keyexchange.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.conclave.keyexchange.keys.MediaKey;

/**
 * Content of Element Call's room event {@code io.element.call.encryption_keys}:
 * {@code {"keys":[{"index":0,"key":"<unpadded base64>"}],"device_id":"...","call_id":"","sent_ts":1700000000000}}.
 * The sender's user id is the event's {@code sender}, outside the content. Producing content checks the room is
 * encrypted: in a plain room the keys would be public.
 */
public record ElementCallEncryptionKeys(List<MediaKey> keys, String deviceId, String callId, long sentTs) {
    public static final String EVENT_TYPE = "io.element.call.encryption_keys";
    /** Element Call uses the empty call id for the room's one call. */
    public static final String ROOM_CALL_ID = "";
    /** More keys than this in one event is not a key announcement. */
    public static final int MAX_KEYS = 16;

    public ElementCallEncryptionKeys {
        keys = List.copyOf(keys);
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("an encryption_keys event carries 1.." + MAX_KEYS + " keys");
        }
    }

    /** Keys for the room's call, stamped now. */
    public static ElementCallEncryptionKeys of(List<MediaKey> keys, String deviceId, long sentTs) {
        return new ElementCallEncryptionKeys(keys, deviceId, ROOM_CALL_ID, sentTs);
    }

    /**
     * The event content to send into {@code room}.
     *
     * @throws KeyTransportException.UnencryptedRoom if the room has no {@code m.room.encryption} state
     */
    public String toContentJson(RoomState room) throws KeyTransportException.UnencryptedRoom {
        if (!room.isEncrypted()) {
            throw new KeyTransportException.UnencryptedRoom(room.roomId());
        }
        ObjectNode content = JsonContent.MAPPER.createObjectNode();
        ArrayNode array = content.putArray("keys");
        for (MediaKey key : keys) {
            array.add(JsonContent.mediaKeyNode(key));
        }
        content.put("device_id", deviceId);
        content.put("call_id", callId);
        content.put("sent_ts", sentTs);
        return JsonContent.write(content);
    }

    /** Reads a received content. {@code call_id} defaults to "" and {@code sent_ts} to 0 when absent. */
    public static ElementCallEncryptionKeys parse(String contentJson) throws KeyTransportException.Malformed {
        JsonNode content = JsonContent.parseObject(contentJson, EVENT_TYPE + " content");
        JsonNode array = content.get("keys");
        if (array == null || !array.isArray() || array.isEmpty() || array.size() > MAX_KEYS) {
            throw new KeyTransportException.Malformed("'keys' must be an array of 1.." + MAX_KEYS + " keys");
        }
        List<MediaKey> keys = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            keys.add(JsonContent.mediaKey(node));
        }
        String deviceId = JsonContent.string(content, "device_id");
        String callId = JsonContent.optionalString(content, "call_id", ROOM_CALL_ID);
        long sentTs = JsonContent.optionalLong(content, "sent_ts", 0);
        return new ElementCallEncryptionKeys(keys, deviceId, callId, sentTs);
    }
}
