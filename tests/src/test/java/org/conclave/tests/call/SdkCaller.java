package org.conclave.tests.call;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.conclave.tests.homeserver.MatrixPages;

/**
 * One participant whose client is matrix-js-sdk itself (npm, unmodified, in a headless Chromium page of
 * {@link MatrixPages}): logged in with its password, it places its conference call with the SDK's own
 * {@code MatrixCall} ({@code tests/js/matrix/calls.mjs}) over the transport it was given, and answers what the page
 * saw: remote feeds with the bot's stream metadata, media per remote stream, the bot's m.call.* events, the end.
 */
final class SdkCaller {
    /** How the call is signalled (docs/protocol.md, "Matrix: placing a conference call"). */
    enum Transport {
        /** Room events in the participant's unencrypted DM with the bot, {@code conf_id} = the conference room id. */
        ROOM,
        /** The same in an encrypted DM, as Element creates DMs: the bot cannot read it (and says so). */
        ENCRYPTED_DM,
        /** To-device messages to the focus device of the bot's call state, {@code conf_id} = its group call id. */
        TO_DEVICE,
        /** To-device messages to the bot's configured device, {@code conf_id} = the conference room id. */
        TO_DEVICE_ROOM_ID;

        boolean toDevice() {
            return this == TO_DEVICE || this == TO_DEVICE_ROOM_ID;
        }
    }

    /** The local camera the page opens itself; null = the SDK's own choice (placeVideoCall: 640x360). */
    record Media(int width, int height, int frameRate) {
        static final Media SMALL = new Media(320, 180, 15);

        JsonObject json() {
            return new JsonObject().put("width", width).put("height", height).put("frameRate", frameRate);
        }
    }

    /** Margin of a page-side wait over the Java-side one, so the page's own message (with its state) wins. */
    private static final Duration EVAL_MARGIN = Duration.ofSeconds(15);

    final String page;
    final String userId;
    final String deviceId;
    final Transport transport;
    private final MatrixPages pages;
    private final String bot;
    private String dmRoom;
    private String callId;

    private SdkCaller(MatrixPages pages, String page, String userId, String deviceId, Transport transport, String bot) {
        this.pages = pages;
        this.page = page;
        this.userId = userId;
        this.deviceId = deviceId;
        this.transport = transport;
        this.bot = bot;
    }

    /**
     * Logs the user in on the page (opened first when {@code open}, else a page whose call ended and was
     * {@link #reset}); crypto on = the Rust crypto runs, as in Conclave Web.
     */
    static SdkCaller login(MatrixPages pages, String page, boolean open, String hsUrl, String bot, String userId,
            String password, Transport transport, boolean crypto) throws Exception {
        if (open) pages.open(page);
        JsonObject options = new JsonObject().put("crypto", crypto);
        // The SDK throws "Unimplemented" for encrypted to-device call events, and the bot reads only clear ones.
        if (transport.toDevice()) options.put("clientOpts", new JsonObject().put("useE2eForGroupCall", false));
        JsonObject who = (JsonObject) pages.eval(page, "async (a) => harness.login(a.hs, a.user, a.password, a.options)",
                new JsonObject().put("hs", hsUrl).put("user", userId).put("password", password).put("options", options),
                CallRig.TIMEOUT.plus(EVAL_MARGIN));
        return new SdkCaller(pages, page, who.getString("userId"), who.getString("deviceId"), transport, bot);
    }

    /**
     * Places the call to the conference of {@code conferenceRoom}: for room events in a new DM with the bot, for
     * {@link Transport#TO_DEVICE} once the conference runs (its call state names the focus).
     *
     * @param media null for the SDK's own devices (placeVideoCall)
     */
    void place(String conferenceRoom, Media media) throws Exception {
        place(conferenceRoom, media, null);
    }

    /**
     * The same, opening the conference's control data channel of that label in the first offer (as Conclave Web
     * does) and answering the SFU's pings on it until {@link #answerPings}(false).
     */
    void place(String conferenceRoom, Media media, String dataChannel) throws Exception {
        JsonObject call = new JsonObject().put("bot", bot).put("dataChannel", dataChannel);
        switch (transport) {
            case ROOM, ENCRYPTED_DM -> {
                dmRoom = (String) eval("async (a) => harness.calls.directRoom(a.bot, a.encrypted)",
                        call.copy().put("encrypted", transport == Transport.ENCRYPTED_DM));
                call.put("roomId", dmRoom).put("groupCallId", conferenceRoom);
            }
            case TO_DEVICE -> {
                JsonObject running = (JsonObject) eval("async (a) => harness.calls.conference(a.room)",
                        new JsonObject().put("room", conferenceRoom));
                JsonObject focus = running.getJsonObject("focus");
                call.put("roomId", conferenceRoom).put("groupCallId", running.getString("groupCallId"))
                        .put("bot", focus.getString("user_id")).put("toDevice", new JsonObject()
                                .put("deviceId", focus.getString("device_id"))
                                .put("sessionId", focus.getString("session_id")));
            }
            case TO_DEVICE_ROOM_ID -> call.put("roomId", conferenceRoom).put("groupCallId", conferenceRoom)
                    .put("toDevice", new JsonObject().put("deviceId", CallRig.BOT_DEVICE));
        }
        if (media != null) call.put("media", media.json());
        callId = ((JsonObject) eval("async (a) => harness.calls.place(a)", call)).getString("callId");
    }

    /** The DM the call went through (room events only). */
    String dmRoom() {
        return dmRoom;
    }

    String callId() {
        return callId;
    }

    /** What the page knows of its call now (calls.mjs, status()). */
    JsonObject status() throws Exception {
        return (JsonObject) eval("async () => harness.calls.status()", null);
    }

    /**
     * Waits until this page decodes at least {@code frames} video frames and received {@code packets} audio packets
     * (0: no audio wanted) from a feed of {@code purpose} labelled with each sender's user id; returns the status.
     */
    JsonObject awaitMedia(List<SdkCaller> senders, String purpose, int frames, int packets, Duration timeout)
            throws Exception {
        JsonArray wanted = new JsonArray();
        senders.forEach(s -> wanted.add(new JsonObject().put("userId", s.userId).put("purpose", purpose)));
        return (JsonObject) pages.eval(page, "async (a) => harness.calls.awaitMedia(a)", new JsonObject()
                .put("senders", wanted).put("frames", frames).put("packets", packets)
                .put("timeoutMs", timeout.toMillis()), timeout.plus(EVAL_MARGIN));
    }

    /** This page's feeds whose metadata names {@code sender}. */
    static List<JsonObject> feedsOf(JsonObject status, SdkCaller sender) {
        return status.getJsonArray("feeds").stream().map(JsonObject.class::cast)
                .filter(f -> f.getJsonObject("meta") != null
                        && sender.userId.equals(f.getJsonObject("meta").getString("user_id")))
                .toList();
    }

    /** Per sender, ms from placing the call to the first decoded frame of its usermedia feed (null: none yet). */
    static Map<String, Integer> firstFrames(JsonObject status, List<SdkCaller> senders) {
        Map<String, Integer> firsts = new LinkedHashMap<>();
        for (SdkCaller sender : senders) {
            firsts.put(sender.userId, feedsOf(status, sender).stream()
                    .filter(f -> "m.usermedia".equals(f.getString("purpose")))
                    .map(f -> f.getInteger("firstFrameMs")).findFirst().orElse(null));
        }
        return firsts;
    }

    /** Polls the status until {@code test} holds; fails with the last status. */
    JsonObject awaitStatus(Predicate<JsonObject> test, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject status = status();
            if (test.test(status)) return status;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(page + ": not " + what + " within " + timeout + ": " + status.encode());
            }
            Thread.sleep(CallRig.POLL.toMillis());
        }
    }

    /** The bot's m.call.* events this page took for its call, in order. */
    static List<JsonObject> voip(JsonObject status, String type) {
        return status.getJsonArray("voip").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("type").equals(type)).toList();
    }

    /**
     * The bot's answer and negotiates in the order the page took them: the answer must come first, as the SDK (the
     * calling side, impolite) ignores an offer that arrives before it.
     */
    static List<String> answerAndNegotiates(JsonObject status) {
        return status.getJsonArray("voip").stream().map(JsonObject.class::cast).map(e -> e.getString("type"))
                .filter(t -> t.equals(CallContent.ANSWER) || t.equals(CallContent.NEGOTIATE)).toList();
    }

    /**
     * Restarts ICE through the SDK's own path (calls.mjs, restartIce) and waits for the bot's answer with new
     * credentials and {@code frames} more decoded frames of every remote video; returns the page's measurements.
     */
    JsonObject restartIce(int frames, Duration timeout) throws Exception {
        return (JsonObject) pages.eval(page, "async (a) => harness.calls.restartIce(a)", new JsonObject()
                .put("frames", frames).put("timeoutMs", timeout.toMillis()), timeout.plus(EVAL_MARGIN));
    }

    boolean setMicrophoneMuted(boolean muted) throws Exception {
        return (Boolean) eval("async (muted) => harness.calls.setMicrophoneMuted(muted)", muted);
    }

    boolean setScreensharing(boolean enabled) throws Exception {
        return (Boolean) eval("async (enabled) => harness.calls.setScreensharing(enabled)", enabled);
    }

    /** Stops (false) or resumes answering the SFU's m.call.ping; returns how many pings the page got so far. */
    int answerPings(boolean answer) throws Exception {
        return ((Number) eval("async (answer) => harness.calls.answerPings(answer)", answer)).intValue();
    }

    void hangup() throws Exception {
        eval("async () => harness.calls.hangup()", null);
    }

    /** Waits for the end of the call (either side); returns the status. */
    JsonObject awaitEnded(Duration timeout) throws Exception {
        return (JsonObject) pages.eval(page, "async (ms) => harness.calls.awaitEnded(ms)", timeout.toMillis(),
                timeout.plus(EVAL_MARGIN));
    }

    /** The room's timeline as this page's SDK has it: what the person can read. */
    JsonArray timeline(String roomId) throws Exception {
        return (JsonArray) eval("async (room) => harness.timeline(room)", roomId);
    }

    /**
     * Waits until this page's SDK has a message of the bot in {@code roomId} whose body passes {@code body} (what the
     * person can read there); returns all the bot's messages in that room as the page has them.
     */
    List<JsonObject> awaitBotMessage(String roomId, Predicate<String> body, String what, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonArray timeline = timeline(roomId);
            List<JsonObject> fromBot = timeline.stream().map(JsonObject.class::cast)
                    .filter(e -> bot.equals(e.getString("sender")) && e.getString("body") != null).toList();
            if (fromBot.stream().anyMatch(e -> body.test(e.getString("body")))) return fromBot;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(this + " never read " + what + " in " + roomId + ": " + timeline.encode());
            }
            Thread.sleep(CallRig.POLL.toMillis());
        }
    }

    /** Forgets the ended call and stops this user's client: the page is free for another login. */
    void reset() throws Exception {
        eval("async () => harness.calls.reset()", null);
    }

    private Object eval(String fn, Object arg) throws Exception {
        return pages.eval(page, fn, arg, CallRig.TIMEOUT.plus(EVAL_MARGIN));
    }

    @Override
    public String toString() {
        return userId + " (" + transport + ")";
    }
}
