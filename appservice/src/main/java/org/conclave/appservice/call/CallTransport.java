package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How one call's signalling travels between the bot and the caller: room events in the room the call was placed in
 * ({@link RoomTransport}) or to-device messages ({@link ToDeviceTransport}). The caller's session sends through it in
 * order, one at a time (its {@link Outbox}).
 */
interface CallTransport {
    /** Sends one m.call.* event of this call; the transport adds the envelope ({@code call_id}, {@code party_id}…). */
    Future<Void> send(String type, JsonObject content);

    /** Tells the caller something in words, where they can read it. */
    Future<Void> notice(String text);

    /** Tells the caller why its call was refused (the words also travel in the m.call.reject). */
    default Future<Void> refusalNotice(String text) {
        return notice(text);
    }

    /** Whether an incoming event of this call came the way the call runs (same room, or to-device from its device). */
    boolean carries(String roomId, String deviceId);

    /** For logs. */
    String describe();
}
