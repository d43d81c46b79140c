package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.conclave.appservice.intent.TxnIds;

/**
 * A call signalled with room events in the room it was placed in (normally the caller's DM with the bot). The bot's
 * events carry {@code call_id}, {@code party_id} and {@code version} and never {@code conf_id}: matrix-js-sdk drops
 * room call events whose {@code conf_id} names a group call it does not know. Notices go to the same room.
 */
final class RoomTransport implements CallTransport {
    private final BotClient bot;
    private final String roomId;
    private final String callId;
    private final String partyId;
    private final String txnSource;
    private int sent;

    /** @param txnSource what transaction ids derive from (the invite's event id): a redelivery sends nothing twice */
    RoomTransport(BotClient bot, String roomId, String callId, String partyId, String txnSource) {
        this.bot = bot;
        this.roomId = roomId;
        this.callId = callId;
        this.partyId = partyId;
        this.txnSource = txnSource;
    }

    @Override
    public Future<Void> send(String type, JsonObject content) {
        content.put("call_id", callId).put("party_id", partyId).put("version", CallContent.VERSION);
        return bot.sendEvent(roomId, type, content, nextTxnId()).mapEmpty();
    }

    @Override
    public Future<Void> notice(String text) {
        return bot.sendEvent(roomId, CallContent.MESSAGE, CallContent.notice(text), nextTxnId()).mapEmpty();
    }

    @Override
    public boolean carries(String roomId, String deviceId) {
        return this.roomId.equals(roomId);
    }

    @Override
    public String describe() {
        return "room " + roomId;
    }

    private String nextTxnId() {
        return TxnIds.derived(txnSource, "out:" + sent++);
    }
}
