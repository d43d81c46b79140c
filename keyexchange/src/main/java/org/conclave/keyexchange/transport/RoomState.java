package org.conclave.keyexchange.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What the key transport needs to know about a room's state: whether it has an {@code m.room.encryption} event
 * (state key "") with a non-empty {@code algorithm}.
 */
public record RoomState(String roomId, Optional<String> encryptionAlgorithm) {
    public static final String ENCRYPTION_EVENT_TYPE = "m.room.encryption";

    public RoomState {
        if (roomId == null || roomId.isEmpty()) {
            throw new IllegalArgumentException("room id must not be empty");
        }
    }

    /**
     * Reads the room's state events as returned by {@code GET /_matrix/client/v3/rooms/{roomId}/state} (a JSON array of
     * events). Events that are not objects or lack fields are skipped; only the array itself must be well formed.
     */
    public static RoomState fromStateEvents(String roomId, String stateEventsJson) throws KeyTransportException.Malformed {
        JsonNode events = JsonContent.parse(stateEventsJson, "room state");
        if (!events.isArray()) {
            throw new KeyTransportException.Malformed("room state is not a JSON array of events");
        }
        for (JsonNode event : events) {
            if (isEncryptionEvent(event)) {
                JsonNode algorithm = event.path("content").path("algorithm");
                if (algorithm.isTextual() && !algorithm.textValue().isEmpty()) {
                    return new RoomState(roomId, Optional.of(algorithm.textValue()));
                }
            }
        }
        return new RoomState(roomId, Optional.empty());
    }

    public static RoomState encrypted(String roomId, String algorithm) {
        return new RoomState(roomId, Optional.of(algorithm));
    }

    public static RoomState unencrypted(String roomId) {
        return new RoomState(roomId, Optional.empty());
    }

    public boolean isEncrypted() {
        return encryptionAlgorithm.isPresent();
    }

    private static boolean isEncryptionEvent(JsonNode event) {
        return event.isObject() && ENCRYPTION_EVENT_TYPE.equals(event.path("type").textValue())
                && "".equals(event.path("state_key").textValue());
    }
}
