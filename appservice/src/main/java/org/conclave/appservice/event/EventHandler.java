package org.conclave.appservice.event;

import io.vertx.core.Future;
import java.util.List;

/**
 * What the appservice does with what the homeserver pushes. The transaction pipeline calls it on one Vert.x event
 * loop: implementations must never block; slow work returns a future.
 *
 * <p>Guarantees: events of one room arrive in the homeserver's order, one at a time (the next waits for the returned
 * future); events of different rooms may interleave. Each event is handed over once; only after a crash between
 * hand-over and the appservice's durable "done" record is it handed over again, then with
 * {@link Delivery#redelivered()} set. A failed or timed-out future is logged and counts as processed: it is not
 * retried, so that one bad event cannot hold up the homeserver's queue for ever.
 */
public interface EventHandler {

    /**
     * The state events of a transaction that are about to be handed over (not those handled before), in the
     * homeserver's order, before any unit of that transaction enters its room's queue: for a cache of room state,
     * since an event in one room may need state that another room's queue has not reached yet (a call in a DM is
     * checked against the conference room's power levels). Called on the pipeline's event loop; must be quick.
     */
    default void onStateEvents(List<RoomEvent> events) {}

    /** A timeline or state event of a room the appservice is interested in. */
    Future<Void> onRoomEvent(RoomEvent event, Delivery delivery);

    /** An EDU ({@code ephemeral} / {@code de.sorunome.msc2409.ephemeral}); ordered with its room's events. */
    default Future<Void> onEphemeral(EphemeralEvent event, Delivery delivery) {
        return Future.succeededFuture();
    }

    /** A to-device message ({@code de.sorunome.msc2409.to_device}); ordered with the same sender's others. */
    default Future<Void> onToDevice(EphemeralEvent message, Delivery delivery) {
        return Future.succeededFuture();
    }

    /**
     * The appservice has started and set itself up with the homeserver (first try done, it may have failed): for
     * clean-up of what an earlier run left behind. Called once, on the pipeline's event loop.
     */
    default void onStarted() {}

    /**
     * The server is stopping: no more transactions come, and the SFU has closed its endpoints (their listeners were
     * told). Completes when what the handler still has to send has gone out; the server waits a bounded time, then
     * closes the client-server connection. Called from any thread.
     */
    default Future<Void> stop() {
        return Future.succeededFuture();
    }
}
