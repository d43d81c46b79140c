package org.conclave.appservice.call;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.sfu.control.StreamMetadata;

/**
 * A {@link CallService} between a {@link FakeSfu} and a {@link FakeHomeserver}, driven the way the transaction
 * pipeline drives it (state events offered first, then the event, on one Vert.x context), without sockets. Builds the
 * events a homeserver would push.
 */
final class ServiceRig implements AutoCloseable {
    static final String BOT = "@conclave:hs";
    static final String BOT_DEVICE = "CONCLAVE";
    static final String BOT_SESSION = "SESSION1";
    static final String CONF = "!conf:hs";
    static final String OFFER = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
    private static final AtomicInteger EVENT_IDS = new AtomicInteger();

    final Vertx vertx = Vertx.vertx();
    final Context context = vertx.getOrCreateContext();
    final FakeSfu sfu = new FakeSfu();
    final FakeHomeserver hs = new FakeHomeserver();
    final CallService service;

    ServiceRig() {
        this(CallConfig.defaults());
    }

    ServiceRig(CallConfig config) {
        this(config, System::nanoTime);
    }

    /** @param nanos the clock of the caps */
    ServiceRig(CallConfig config, java.util.function.LongSupplier nanos) {
        service = new CallService(vertx, sfu, hs, hs::fetch, new BotIdentity(BOT, BOT_DEVICE, BOT_SESSION), config,
                nanos);
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    // ---- driving --------------------------------------------------------------------------------------------------

    /**
     * Pushes a room event as the pipeline would (a state event is in the room's state on the homeserver by then), and
     * waits until the service is done with it.
     */
    void push(JsonObject event) throws Exception {
        hs.applied(event);
        RoomEvent e = new RoomEvent(event);
        onLoop(() -> {
            if (e.isState()) service.onStateEvents(List.of(e));
            return service.onRoomEvent(e, new Delivery("t", false));
        });
    }

    /** Pushes a to-device message addressed to the bot's device. */
    void pushToDevice(String sender, String type, JsonObject content) throws Exception {
        JsonObject message = new JsonObject().put("type", type).put("sender", sender).put("to_user_id", BOT)
                .put("to_device_id", BOT_DEVICE).put("content", content);
        onLoop(() -> service.onToDevice(new EphemeralEvent(message), new Delivery("t", false)));
    }

    /** Runs {@code work} on the service's context and waits for its future. */
    <T> T onLoop(Supplier<Future<T>> work) throws Exception {
        Promise<T> done = Promise.promise();
        context.runOnContext(v -> work.get().onComplete(done));
        return done.future().await(10, TimeUnit.SECONDS);
    }

    /**
     * Waits until nothing moves any more: SFU callbacks and sends complete on the context, so once several turns of
     * it change nothing, everything the last input caused has happened.
     */
    void settle() throws Exception {
        int stable = 0;
        int before = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stable < 5) {
            onLoop(() -> Future.succeededFuture(null));
            int now = hs.sent().size() + sfu.calls().size();
            stable = now == before ? stable + 1 : 0;
            before = now;
            if (System.nanoTime() > deadline) throw new AssertionError("the service never settled");
        }
    }

    // ---- what the homeserver pushes -------------------------------------------------------------------------------

    static JsonObject event(String room, String sender, String type, JsonObject content) {
        return new JsonObject().put("event_id", "$" + EVENT_IDS.incrementAndGet()).put("room_id", room)
                .put("sender", sender).put("type", type).put("origin_server_ts", 1).put("content", content);
    }

    static JsonObject state(String room, String sender, String type, String stateKey, JsonObject content) {
        return event(room, sender, type, content).put("state_key", stateKey);
    }

    static JsonObject member(String room, String user, String membership) {
        return state(room, user, "m.room.member", user, new JsonObject().put("membership", membership));
    }

    static JsonObject powerLevels(String room, Map<String, Integer> users) {
        JsonObject levels = new JsonObject();
        users.forEach(levels::put);
        return state(room, "@owner:hs", "m.room.power_levels", "", new JsonObject().put("users", levels)
                .put("users_default", 0).put("state_default", 50).put("events_default", 0));
    }

    /** A conference room as the bot's GET of its state sees it: owner 100, the bot 50, these members joined. */
    void conference(String room, String... members) {
        List<JsonObject> events = new ArrayList<>();
        events.add(state(room, "@owner:hs", "m.room.create", "", new JsonObject().put("room_version", "10")
                .put("creator", "@owner:hs")));
        events.add(member(room, "@owner:hs", "join"));
        events.add(member(room, BOT, "join"));
        events.add(powerLevels(room, Map.of("@owner:hs", 100, BOT, 50)));
        for (String m : members) events.add(member(room, m, "join"));
        hs.room(room, events);
    }

    static JsonObject invite(String callId, String partyId, String confId, String deviceId) {
        JsonObject c = new JsonObject().put("call_id", callId).put("party_id", partyId).put("version", "1")
                .put("lifetime", 60_000).put("offer", new JsonObject().put("type", "offer").put("sdp", OFFER));
        if (confId != null) c.put("conf_id", confId);
        if (deviceId != null) c.put("device_id", deviceId);
        return c;
    }

    static JsonObject call(String callId, String partyId) {
        return new JsonObject().put("call_id", callId).put("party_id", partyId).put("version", "1");
    }

    static JsonObject withMetadata(JsonObject content, String key, String streamId, String purpose, boolean audioMuted) {
        return content.put(key, new JsonObject().put(streamId, new JsonObject().put("purpose", purpose)
                .put("audio_muted", audioMuted).put("video_muted", false)));
    }

    static JsonObject candidates(String callId, String partyId, String candidate) {
        return call(callId, partyId).put("candidates", new JsonArray().add(new JsonObject()
                .put("candidate", candidate).put("sdpMid", "0").put("sdpMLineIndex", 0)));
    }

    // ---- what the bot sent ----------------------------------------------------------------------------------------

    /** The types of the bot's events and to-device messages to {@code target}, in order. */
    List<String> types(String target) {
        return hs.sent(s -> s.target().equals(target) && (s.kind().equals("event") || s.kind().equals("to-device")))
                .stream().map(s -> s.type().equals("m.room.message") ? "notice" : s.type()).toList();
    }

    FakeHomeserver.Sent last(String target, String type) {
        List<FakeHomeserver.Sent> all = hs.sent(s -> s.target().equals(target) && type.equals(s.type()));
        if (all.isEmpty()) throw new AssertionError("no " + type + " to " + target + "; sent " + hs.sent());
        return all.get(all.size() - 1);
    }

    List<String> sfuCalls(Predicate<String> match) {
        return sfu.calls().stream().filter(match).toList();
    }

    static Map<String, StreamMetadata> camera(String streamId, String participant) {
        return Map.of(streamId, new StreamMetadata(StreamMetadata.Purpose.USERMEDIA, false, true, participant));
    }
}
