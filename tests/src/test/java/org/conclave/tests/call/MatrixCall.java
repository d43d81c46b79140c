package org.conclave.tests.call;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.ScriptedClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VoIP call a scripted user places to the bot in their DM, seen from the caller's side: it sends the caller's
 * m.call.* events and follows the DM for the bot's events of this call, turning them into {@link EndpointListener}
 * events (re-offers, hangups) and answers to the caller's offers. Thread-safe.
 */
public final class MatrixCall {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixCall.class);
    /** Generous: a cold Chromium may take seconds between allocation and its offer. */
    static final long INVITE_LIFETIME_MS = 60_000;
    static final long NEGOTIATE_LIFETIME_MS = 30_000;
    /** How often the follower wakes without news, to notice that the call ended. */
    private static final Duration FOLLOW_WAKE = Duration.ofMillis(500);

    private final HomeserverDouble hs;
    private final ScriptedClient caller;
    private final String callId;
    private final String partyId;
    private final String deviceId;
    private final String conferenceId;
    private final String dmRoom;
    private final EndpointListener listener;

    // Guarded by this.
    private final List<JsonObject> botEvents = new ArrayList<>();
    private CompletableFuture<String> pendingAnswer;
    private boolean invited;
    private boolean ended;
    private String endedBy;
    private Thread follower;

    MatrixCall(HomeserverDouble hs, ScriptedClient caller, String callId, String deviceId, String conferenceId,
            String dmRoom, EndpointListener listener) {
        this.hs = hs;
        this.caller = caller;
        this.callId = callId;
        this.partyId = "party-" + deviceId;
        this.deviceId = deviceId;
        this.conferenceId = conferenceId;
        this.dmRoom = dmRoom;
        this.listener = listener;
    }

    public String callId() {
        return callId;
    }

    public String partyId() {
        return partyId;
    }

    public String deviceId() {
        return deviceId;
    }

    public ScriptedClient caller() {
        return caller;
    }

    public String conferenceId() {
        return conferenceId;
    }

    /** The caller's DM with the bot, where the call is signalled. */
    public String dmRoom() {
        return dmRoom;
    }

    /**
     * Sends the caller's offer: the first one as {@code m.call.invite}, later ones as {@code m.call.negotiate}.
     * Completes with the bot's answer SDP, or fails with an {@link SfuException} when the bot rejects or hangs up
     * instead.
     */
    public CompletionStage<String> offer(String sdp) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        boolean first;
        synchronized (this) {
            if (ended) return CompletableFuture.failedFuture(ended("offer"));
            if (pendingAnswer != null && !pendingAnswer.isDone()) {
                return CompletableFuture.failedFuture(new IllegalStateException("an offer is already outstanding"));
            }
            pendingAnswer = answer;
            first = !invited;
            invited = true;
        }
        if (first) {
            // Follow from here on: the DM may hold earlier calls of this user.
            startFollowing(hs.timeline(dmRoom).size());
            caller.send(dmRoom, CallContent.INVITE, CallContent.invite(callId, partyId, sdp, INVITE_LIFETIME_MS,
                    conferenceId, deviceId, hs.botUserId()));
        } else {
            caller.send(dmRoom, CallContent.NEGOTIATE,
                    CallContent.negotiate(callId, partyId, "offer", sdp, NEGOTIATE_LIFETIME_MS));
        }
        return answer;
    }

    /** Answers a re-offer of the bot ({@code m.call.negotiate} with an answer). */
    public void answer(String sdp) {
        requireOpen("answer");
        caller.send(dmRoom, CallContent.NEGOTIATE,
                CallContent.negotiate(callId, partyId, "answer", sdp, NEGOTIATE_LIFETIME_MS));
    }

    /** Tells the bot the caller's streams changed ({@code m.call.sdp_stream_metadata_changed}), e.g. a mute. */
    public void metadata(JsonObject sdpStreamMetadata) {
        requireOpen("metadata");
        caller.send(dmRoom, "m.call.sdp_stream_metadata_changed", new JsonObject().put("call_id", callId)
                .put("party_id", partyId).put("version", CallContent.VERSION)
                .put("sdp_stream_metadata", sdpStreamMetadata));
    }

    /** Trickles one candidate ({@code ""} = end of candidates). */
    public void candidate(String candidate, String sdpMid) {
        requireOpen("candidate");
        caller.send(dmRoom, CallContent.CANDIDATES, CallContent.candidates(callId, partyId, candidate, sdpMid));
    }

    /** Hangs up with {@code reason} unless the call already ended; then reports it closed to the listener. */
    public void hangup(String reason) {
        synchronized (this) {
            if (ended) return;
            ended = true;
            endedBy = "caller (" + reason + ")";
            if (pendingAnswer != null) pendingAnswer.completeExceptionally(ended("answer"));
            notifyAll();
        }
        caller.send(dmRoom, CallContent.HANGUP, CallContent.hangup(callId, partyId, reason));
        listener.onClosed(callId);
    }

    /** Every event the bot sent for this call so far, in timeline order. */
    public synchronized List<JsonObject> botEvents() {
        return List.copyOf(botEvents);
    }

    /** The bot's first event of this call of that type, waiting up to {@code timeout}. */
    public JsonObject awaitBotEvent(String type, Duration timeout) throws InterruptedException {
        return awaitBotEvent(e -> e.getString("type").equals(type), type, timeout);
    }

    public synchronized JsonObject awaitBotEvent(Predicate<JsonObject> match, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonObject e : botEvents) {
                if (match.test(e)) return e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " from the bot for call " + callId + " within " + timeout
                        + "; the bot sent " + botEvents.stream().map(e -> e.getString("type")).toList());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** Who ended the call ("bot (reason)" / "caller (reason)"), or null while it goes on. */
    public synchronized String endedBy() {
        return endedBy;
    }

    /** Stops following the DM (the test is over). */
    void stop() {
        Thread t;
        synchronized (this) {
            ended = true;
            if (endedBy == null) endedBy = "test end";
            t = follower;
            notifyAll();
        }
        if (t != null) t.interrupt();
    }

    private void startFollowing(int from) {
        Thread t = new Thread(() -> follow(from), "matrix-call-" + callId);
        t.setDaemon(true);
        synchronized (this) {
            follower = t;
        }
        t.start();
    }

    private void follow(int from) {
        int position = from;
        try {
            while (!ended()) {
                List<JsonObject> events = hs.awaitTimelineFrom(dmRoom, position, FOLLOW_WAKE);
                position += events.size();
                for (JsonObject e : events) {
                    if (e.getString("sender").equals(hs.botUserId())
                            && callId.equals(e.getJsonObject("content").getString("call_id"))) {
                        onBotEvent(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("following call {} failed", callId, e);
        }
    }

    private void onBotEvent(JsonObject event) {
        String type = event.getString("type");
        JsonObject content = event.getJsonObject("content");
        CompletableFuture<String> answered = null;
        String answerSdp = null;
        String offerSdp = null;
        boolean hungUp = false;
        synchronized (this) {
            botEvents.add(event);
            notifyAll();
            switch (type) {
                case CallContent.ANSWER -> {
                    answerSdp = sdp(content.getJsonObject("answer"));
                    answered = pendingAnswer;
                }
                case CallContent.NEGOTIATE -> {
                    JsonObject description = content.getJsonObject("description", new JsonObject());
                    if ("offer".equals(description.getString("type"))) {
                        offerSdp = sdp(description);
                    } else {
                        answerSdp = sdp(description);
                        answered = pendingAnswer;
                    }
                }
                case CallContent.HANGUP, CallContent.REJECT -> {
                    if (!ended) {
                        ended = true;
                        endedBy = "bot (" + type + " " + content.getString("reason") + ")";
                        hungUp = true;
                        answered = pendingAnswer;
                    }
                }
                default -> { }
            }
        }
        if (hungUp) {
            String reason = content.getString("reason", "");
            String detail = "the bot sent " + type + " (" + reason + ")";
            if (answered != null && !answered.isDone()) {
                answered.completeExceptionally(new SfuException(failureReason(reason), detail));
                return;
            }
            if (!reason.equals("user_hangup")) listener.onFailed(callId, failureReason(reason), detail);
            listener.onClosed(callId);
        } else if (offerSdp != null) {
            listener.onOffer(callId, offerSdp);
        } else if (answered != null && answerSdp != null) {
            answered.complete(answerSdp);
        }
    }

    /** The SFU's failure reason a Matrix hangup reason stands for (docs/protocol.md, table of failures). */
    private static FailureReason failureReason(String hangupReason) {
        return switch (hangupReason) {
            case "ice_timeout" -> FailureReason.ICE_TIMEOUT;
            case "ice_failed" -> FailureReason.DTLS_FAILED;
            default -> FailureReason.INTERNAL;
        };
    }

    private static String sdp(JsonObject description) {
        return description == null ? null : description.getString("sdp");
    }

    private synchronized void requireOpen(String what) {
        if (ended) throw ended(what);
    }

    private SfuException ended(String what) {
        return new SfuException(FailureReason.INTERNAL, "call " + callId + " already ended by " + endedBy
                + "; no " + what);
    }
}
