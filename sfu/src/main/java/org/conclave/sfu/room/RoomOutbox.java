package org.conclave.sfu.room;

/** Where the room's replies and events go: one JSON text message on an endpoint's control data channel. */
@FunctionalInterface
public interface RoomOutbox {
    /** Queues {@code json} for {@code endpointId}; called on the control thread, must not block. */
    void send(String endpointId, String json);
}
