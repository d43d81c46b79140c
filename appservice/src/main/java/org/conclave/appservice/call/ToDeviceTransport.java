package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.conclave.appservice.intent.TxnIds;
import org.conclave.appservice.room.RoomState;
import org.conclave.appservice.room.RoomStateCache;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call signalled with to-device messages (MSC3401), sent in clear (the bot has no Olm; see docs/protocol.md). The
 * bot's messages carry what matrix-js-sdk checks before it takes a to-device call event: the caller's own
 * {@code conf_id} (it must name a group call the client knows), the bot's {@code device_id}, {@code dest_session_id}
 * = the caller's {@code sender_session_id}, and {@code seq} counting from 0 for this call. Notices go to the conference
 * room, addressed to the caller, and only when the caller is a member there (nobody else could read them); refusals
 * there are rate-limited per room, since everyone in the room reads them.
 */
final class ToDeviceTransport implements CallTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ToDeviceTransport.class);

    /**
     * The calling device.
     *
     * @param sessionId its {@code sender_session_id}, or null if it sent none
     */
    record Caller(String userId, String deviceId, String sessionId) {}

    private final BotClient bot;
    private final BotIdentity me;
    private final Caller caller;
    private final String confId;
    private final String callId;
    private final String partyId;
    private final RoomStateCache rooms;
    private final String conferenceRoomId;
    private final String txnSource;
    private final Predicate<String> mayNoticeRoom;
    private int seq;
    private int notices;

    /**
     * @param conferenceRoomId where notices go; null when the call names no conference the bot knows
     * @param mayNoticeRoom whether a refusal may be told in that room now
     */
    ToDeviceTransport(BotClient bot, BotIdentity me, Caller caller, String confId, String callId, String partyId,
            RoomStateCache rooms, String conferenceRoomId, Predicate<String> mayNoticeRoom) {
        this.bot = bot;
        this.me = me;
        this.caller = caller;
        this.confId = confId;
        this.callId = callId;
        this.partyId = partyId;
        this.rooms = rooms;
        this.conferenceRoomId = conferenceRoomId;
        this.txnSource = "to-device " + caller.userId() + " " + caller.deviceId() + " " + callId;
        this.mayNoticeRoom = mayNoticeRoom;
    }

    @Override
    public Future<Void> send(String type, JsonObject content) {
        int n = seq++;
        content.put("call_id", callId).put("party_id", partyId).put("version", CallContent.VERSION)
                .put("conf_id", confId).put("device_id", me.deviceId()).put("sender_session_id", me.sessionId())
                .put("seq", n);
        if (caller.sessionId() != null) content.put("dest_session_id", caller.sessionId());
        return bot.sendToDevice(type, TxnIds.derived(txnSource, "seq:" + n), caller.userId(), caller.deviceId(),
                content);
    }

    @Override
    public Future<Void> notice(String text) {
        String txnId = TxnIds.derived(txnSource, "notice:" + notices++);
        // Not peek: a call refused before anything looked the room up (its server is not allowed) finds no state
        // kept yet, and its caller must still be told. One GET then, kept for later calls.
        Future<RoomState> room = conferenceRoomId == null ? Future.failedFuture("no conference room")
                : rooms.get(conferenceRoomId);
        return room.transform(ar -> {
            if (ar.failed() || !ar.result().membership(caller.userId()).equals("join")) {
                LOG.info("call {} of {}: not a member of a conference room I know, so not told: {}", callId,
                        caller.userId(), text);
                return Future.succeededFuture();
            }
            return bot.sendEvent(conferenceRoomId, CallContent.MESSAGE, CallContent.noticeTo(caller.userId(), text),
                    txnId).mapEmpty();
        });
    }

    @Override
    public Future<Void> refusalNotice(String text) {
        if (conferenceRoomId != null && !mayNoticeRoom.test(conferenceRoomId)) {
            LOG.debug("call {} of {}: refused; the conference room was told of a refusal recently", callId,
                    caller.userId());
            return Future.succeededFuture();
        }
        return notice(text);
    }

    @Override
    public boolean carries(String roomId, String deviceId) {
        return roomId == null && caller.deviceId().equals(deviceId);
    }

    @Override
    public String describe() {
        return "to-device " + caller.deviceId();
    }
}
