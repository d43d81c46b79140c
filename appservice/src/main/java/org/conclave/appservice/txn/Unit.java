package org.conclave.appservice.txn;

import io.vertx.core.json.JsonObject;

/**
 * One thing of a transaction the handler processes, with the key under which the journal records it.
 *
 * @param key {@code e:<event_id>} for room events (the same event in any transaction is the same unit);
 *     {@code x:<transaction fingerprint>:<index>} for EDUs and to-device messages, which have no id
 * @param queue the ordering queue: the room id; for to-device messages {@code "to-device <sender>"}; {@link #NO_ROOM}
 *     for the other items without a room
 */
public record Unit(Kind kind, String key, String queue, JsonObject json) {
    public static final String NO_ROOM = "";

    public enum Kind { ROOM_EVENT, EPHEMERAL, TO_DEVICE }
}
