package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.intent.MatrixHttpException;
import org.conclave.appservice.room.RoomState;
import org.conclave.appservice.room.RoomStateCache;
import org.conclave.sfu.control.SfuControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conferences running in their rooms: which calls each has, and what the room is told about it. The bot announces
 * a conference with the state event {@value #CALL_STATE} (state key: the group call id, new per conference session)
 * when its first participant connects and marks it {@code m.terminated} when the last one leaves; everything it sends
 * into one room goes out in order. A bot without the power to send that state says so in the room, once until the
 * power levels change. A room that becomes encrypted while its conference runs makes the SFU require end-to-end
 * encrypted media at once. Confined to the call loop.
 */
final class Conferences {
    private static final Logger LOG = LoggerFactory.getLogger(Conferences.class);
    /**
     * Conclave's own state type, not MSC3401's {@code org.matrix.msc3401.call}: matrix-js-sdk makes a full-mesh
     * GroupCall out of that one, and its clients then write member state that guests are not allowed to
     * (docs/protocol.md, "Conference state").
     */
    static final String CALL_STATE = "org.conclave.call";
    static final String CONFERENCE_NAME = "Conclave conference";

    private static final class Conference {
        final String roomId;
        final Outbox outbox;
        final Set<CallSession> calls = new LinkedHashSet<>();
        final Set<CallSession> connected = new LinkedHashSet<>();
        /** The state key of the published call state; null while none is published. */
        String callStateKey;
        boolean publishing;
        boolean e2eeRequired;

        Conference(String roomId) {
            this.roomId = roomId;
            this.outbox = new Outbox(roomId);
        }
    }

    private final BotClient bot;
    private final BotIdentity me;
    private final RoomStateCache rooms;
    private final SfuControl sfu;
    private final CallLoop loop;
    private final CallConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Conference> byRoom = new HashMap<>();
    private final Map<String, String> roomByGroupCallId = new HashMap<>();
    private final Set<String> toldAboutPower = new HashSet<>();

    Conferences(BotClient bot, BotIdentity me, RoomStateCache rooms, SfuControl sfu, CallLoop loop, CallConfig config) {
        this.bot = bot;
        this.me = me;
        this.rooms = rooms;
        this.sfu = sfu;
        this.loop = loop;
        this.config = config;
    }

    /** The conference room a {@code conf_id} names: a room id, or the group call id of a running conference. */
    String resolve(String confId) {
        if (confId == null) return null;
        if (confId.startsWith("!")) return confId;
        return roomByGroupCallId.get(confId);
    }

    /** A call got its endpoint in its conference; {@code requireE2ee}: the endpoint was allocated requiring it. */
    void allocated(CallSession call, boolean requireE2ee) {
        Conference c = byRoom.computeIfAbsent(call.conferenceRoomId(), Conference::new);
        c.calls.add(call);
        c.e2eeRequired |= requireE2ee;
        // The room may have become encrypted while this call was being set up.
        RoomState state = rooms.peek(c.roomId);
        if (!c.e2eeRequired && state != null && state.encrypted()) encryptionEnabled(c.roomId);
    }

    void connected(CallSession call) {
        Conference c = byRoom.get(call.conferenceRoomId());
        if (c == null || !c.calls.contains(call)) return;
        c.connected.add(call);
        if (c.callStateKey == null && !c.publishing) publish(c);
    }

    void ended(CallSession call) {
        Conference c = byRoom.get(call.conferenceRoomId());
        if (c == null) return;
        c.calls.remove(call);
        if (c.connected.remove(call) && c.connected.isEmpty() && c.callStateKey != null) {
            String key = c.callStateKey;
            c.callStateKey = null;
            roomByGroupCallId.remove(key);
            c.outbox.then("the call state's end", () -> bot.sendState(c.roomId, CALL_STATE, key, callState(true))
                    .mapEmpty());
        }
        if (c.calls.isEmpty()) {
            // Kept until what it sends is out, so a next conference in the room cannot overtake it.
            c.outbox.idle().onComplete(x -> {
                if (c.calls.isEmpty()) byRoom.remove(c.roomId, c);
            });
        }
    }

    /** One future per conference, completing when what it sends into its room has gone out. */
    List<Future<Void>> idle() {
        return byRoom.values().stream().map(c -> c.outbox.idle()).toList();
    }

    /** The calls of {@code userId} in the conference of {@code roomId}. */
    List<CallSession> callsOf(String roomId, String userId) {
        Conference c = byRoom.get(roomId);
        return c == null ? List.of() : c.calls.stream().filter(s -> s.caller().userId().equals(userId)).toList();
    }

    /** The room's power levels changed: the bot may tell about missing power again, and may publish now. */
    void powerLevelsChanged(String roomId) {
        toldAboutPower.remove(roomId);
        Conference c = byRoom.get(roomId);
        if (c != null && !c.connected.isEmpty() && c.callStateKey == null && !c.publishing) publish(c);
    }

    /**
     * The room became encrypted. If its conference runs (and encrypted rooms require encrypted media), the SFU is
     * told at once (the future completes when it applies it) and the room is told in words.
     */
    Future<Void> encryptionEnabled(String roomId) {
        Conference c = byRoom.get(roomId);
        if (c == null || c.calls.isEmpty() || c.e2eeRequired || !config.requireE2eeInEncryptedRooms()) {
            return Future.succeededFuture();
        }
        c.e2eeRequired = true;
        LOG.info("conference {}: the room is now encrypted; requiring end-to-end-encrypted media", roomId);
        return loop.from(sfu.requireE2ee(roomId))
                .onSuccess(v -> notice(c, Notices.encryptionNowRequired()))
                .recover(x -> {
                    LOG.error("conference {}: the SFU did not take the end-to-end encryption requirement: {}", roomId,
                            x.toString());
                    return Future.succeededFuture();
                });
    }

    private void publish(Conference c) {
        c.publishing = true;
        rooms.get(c.roomId).onComplete(ar -> {
            c.publishing = false;
            if (ar.failed()) {
                LOG.warn("conference {}: no call state published, the room's state is unknown: {}", c.roomId,
                        ar.cause().toString());
                return;
            }
            if (c.connected.isEmpty() || c.callStateKey != null) return;
            RoomState state = ar.result();
            long needed = state.powerLevels().stateEvent(CALL_STATE);
            long current = state.powerLevel(me.userId());
            if (current < needed) {
                tellAboutPower(c, needed, current);
                return;
            }
            String key = "conclave-" + HexFormat.of().formatHex(randomBytes());
            c.callStateKey = key;
            roomByGroupCallId.put(key, c.roomId);
            terminateStale(c, state, key);
            c.outbox.then("the call state", () -> bot.sendState(c.roomId, CALL_STATE, key, callState(false))
                    .mapEmpty()).onFailure(x -> {
                        if (x instanceof MatrixHttpException m && m.status() == 403) tellAboutPower(c, needed, current);
                    });
        });
    }

    /**
     * At start: ends, in each of these rooms (read one after the other), the call states an earlier run left running
     * (it was killed, or lost the homeserver before it could end them), so that no room shows a conference nobody
     * serves until someone calls there again.
     */
    Future<Void> endStale(List<String> roomIds) {
        Future<Void> chain = Future.succeededFuture();
        for (String roomId : roomIds) chain = chain.transform(x -> endStaleIn(roomId));
        return chain;
    }

    private Future<Void> endStaleIn(String roomId) {
        return rooms.get(roomId).transform(ar -> {
            if (ar.failed()) {
                LOG.warn("room {}: could not look for a conference an earlier run left running: {}", roomId,
                        ar.cause().toString());
                return Future.succeededFuture();
            }
            Conference c = byRoom.get(roomId);
            String current = c == null ? null : c.callStateKey;
            List<Future<Void>> ends = new ArrayList<>();
            ar.result().extra(CALL_STATE).forEach((key, event) -> {
                if (isStale(event, key, current)) {
                    LOG.info("conference {}: ending the call state {} an earlier run left running", roomId, key);
                    ends.add(bot.sendState(roomId, CALL_STATE, key, event.getJsonObject("content").copy()
                            .put("m.terminated", "call_ended")).mapEmpty());
                }
            });
            return Future.join(ends).<Void>mapEmpty().otherwise(x -> {
                LOG.warn("room {}: could not end a stale call state: {}", roomId, x.toString());
                return null;
            });
        });
    }

    private boolean isStale(JsonObject event, String key, String currentKey) {
        return !key.equals(currentKey) && me.userId().equals(event.getValue("sender"))
                && event.getValue("content") instanceof JsonObject content && !content.containsKey("m.terminated");
    }

    /** Call states an earlier run of the bot left running (it stopped without ending them) are ended now. */
    private void terminateStale(Conference c, RoomState state, String currentKey) {
        state.extra(CALL_STATE).forEach((key, event) -> {
            if (isStale(event, key, currentKey)) {
                c.outbox.then("a stale call state's end", () -> bot.sendState(c.roomId, CALL_STATE, key,
                        event.getJsonObject("content").copy().put("m.terminated", "call_ended")).mapEmpty());
            }
        });
    }

    private void tellAboutPower(Conference c, long needed, long current) {
        LOG.warn("conference {}: the bot has power level {} and needs {} to publish the call state", c.roomId,
                current, needed);
        if (toldAboutPower.add(c.roomId)) {
            notice(c, Notices.powerLevelNeeded(me.userId(), CALL_STATE, needed, current));
        }
    }

    private void notice(Conference c, String text) {
        c.outbox.then("a notice", () -> bot.sendEvent(c.roomId, CallContent.MESSAGE, CallContent.notice(text),
                org.conclave.appservice.intent.TxnIds.fresh()).mapEmpty());
    }

    /** The call state: the conference's name and its focus, the bot (to-device signalling goes to its device). */
    private JsonObject callState(boolean terminated) {
        JsonObject c = new JsonObject().put("m.name", CONFERENCE_NAME).put("m.focus", new JsonObject()
                .put("user_id", me.userId()).put("device_id", me.deviceId()).put("session_id", me.sessionId()));
        return terminated ? c.put("m.terminated", "call_ended") : c;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }
}
