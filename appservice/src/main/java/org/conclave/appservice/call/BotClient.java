package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.conclave.appservice.intent.Intent;

/**
 * What call signalling does as the bot on the homeserver: the part of the client-server API it needs and nothing
 * more, so it can be tested against a fake. Futures fail with
 * {@link org.conclave.appservice.intent.MatrixHttpException}.
 */
interface BotClient {
    /** Sends a message event with the caller's transaction id (the same for every try of one logical send). */
    Future<String> sendEvent(String roomId, String type, JsonObject content, String txnId);

    Future<String> sendState(String roomId, String type, String stateKey, JsonObject content);

    /** Sends one to-device message to one device, with a transaction id as for {@link #sendEvent}. */
    Future<Void> sendToDevice(String type, String txnId, String userId, String deviceId, JsonObject content);

    Future<String> join(String roomId);

    /** Leaves a room (or rejects an invite) with a reason in words. */
    Future<Void> leave(String roomId, String reason);

    /** The rooms the bot is in. */
    Future<List<String>> joinedRooms();

    /** The bot through an {@link Intent}. */
    static BotClient of(Intent bot) {
        return new BotClient() {
            @Override
            public Future<String> sendEvent(String roomId, String type, JsonObject content, String txnId) {
                return bot.sendEvent(roomId, type, content, txnId);
            }

            @Override
            public Future<String> sendState(String roomId, String type, String stateKey, JsonObject content) {
                return bot.sendStateEvent(roomId, type, stateKey, content);
            }

            @Override
            public Future<Void> sendToDevice(String type, String txnId, String userId, String deviceId,
                    JsonObject content) {
                return bot.sendToDevice(type, txnId, userId, deviceId, content);
            }

            @Override
            public Future<String> join(String roomId) {
                return bot.join(roomId);
            }

            @Override
            public Future<Void> leave(String roomId, String reason) {
                return bot.leave(roomId, reason);
            }

            @Override
            public Future<List<String>> joinedRooms() {
                return bot.joinedRooms();
            }
        };
    }
}
