package org.conclave.sfu.room;

/** Where the room's replies and events go: one JSON text message on an endpoint's control data channel. */
@FunctionalInterface
public interface RoomOutbox {
    /** Queues {@code json} for {@code endpointId}; called on the control thread, must not block. */
    void send(String endpointId, String json);

    /** A message from {@code endpointId} was refused unread (too large, too deep, not the protocol); for counters. */
    default void refused(String endpointId, ErrorCode code) {
    }
}
