package org.conclave.appservice.txn;

import io.vertx.core.json.JsonObject;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A transaction's units, made when asked for from the items of the parsed body: a transaction of millions of tiny
 * EDUs would otherwise hold a {@link Unit} and its key for each besides the tree (~120 bytes a unit), however few of
 * them are being handled at a time. Immutable.
 */
final class UnitList extends AbstractList<Unit> implements RandomAccess {
    private final String fingerprint;
    private final List<JsonObject> roomEvents;
    private final List<JsonObject> edus;
    private final List<JsonObject> messages;

    UnitList(String fingerprint, List<JsonObject> roomEvents, List<JsonObject> edus, List<JsonObject> messages) {
        this.fingerprint = fingerprint;
        this.roomEvents = List.copyOf(roomEvents);
        this.edus = List.copyOf(edus);
        this.messages = List.copyOf(messages);
    }

    @Override
    public Unit get(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException(index);
        if (index < roomEvents.size()) {
            JsonObject event = roomEvents.get(index);
            return new Unit(Unit.Kind.ROOM_EVENT, "e:" + event.getString("event_id"), event.getString("room_id"),
                    event);
        }
        int item = index - roomEvents.size(); // EDUs and to-device messages are numbered together
        String key = "x:" + fingerprint + ":" + item;
        if (item < edus.size()) {
            JsonObject edu = edus.get(item);
            return new Unit(Unit.Kind.EPHEMERAL, key, edu.getValue("room_id") instanceof String r ? r : Unit.NO_ROOM,
                    edu);
        }
        JsonObject message = messages.get(item - edus.size());
        // One queue per sender: a sender's messages stay in order (call signalling's seq), and a crowd of callers
        // does not wait in one line.
        String queue = message.getValue("sender") instanceof String sender
                ? TransactionParser.TO_DEVICE_QUEUE + sender : Unit.NO_ROOM;
        return new Unit(Unit.Kind.TO_DEVICE, key, queue, message);
    }

    @Override
    public int size() {
        return roomEvents.size() + edus.size() + messages.size();
    }
}
