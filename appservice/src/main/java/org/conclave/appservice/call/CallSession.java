package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.StreamMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's call with the bot: its signalling from invite to end, whichever transport carries it. Relays the
 * caller's events to its SFU endpoint and the SFU's to the caller, everything the bot sends going out in order
 * through its {@link Outbox}. Ends once: quietly when the caller ended it (hangup, or its own DTLS close), with
 * {@code m.call.hangup} and a notice when the bot ends it. Confined to the call loop; SFU callbacks are brought back
 * to it.
 */
final class CallSession {
    private static final Logger LOG = LoggerFactory.getLogger(CallSession.class);

    /** Conference-level effects of a call's life (the conference's call state, who is in it). */
    interface Observer {
        /** It has an SFU endpoint in its conference. */
        void allocated(CallSession call);

        /** ICE and DTLS are up. */
        void connected(CallSession call);

        /** It is over; its endpoint is closed or closing. */
        void ended(CallSession call);
    }

    private enum Phase { SETTING_UP, ANSWERED, ENDED }

    private final String callId;
    private final Participant caller;
    private final String conferenceRoomId;
    private final String partyId;
    private final CallTransport transport;
    private final Outbox outbox;
    private final SfuControl sfu;
    private final CallLoop loop;
    private final int negotiateLifetimeMs;
    private final Observer observer;
    private Phase phase = Phase.SETTING_UP;
    private Role role;
    private boolean requireE2ee;
    private String endpointId;
    private boolean mediaRefusedLogged;

    /**
     * @param conferenceRoomId the conference room, or null when the call names none the bot knows
     * @param partyId the bot's {@code party_id} in this call
     */
    CallSession(String callId, Participant caller, String conferenceRoomId, String partyId, CallTransport transport,
            SfuControl sfu, CallLoop loop, int negotiateLifetimeMs, Observer observer) {
        this.callId = callId;
        this.caller = caller;
        this.conferenceRoomId = conferenceRoomId;
        this.partyId = partyId;
        this.transport = transport;
        this.outbox = new Outbox(callId);
        this.sfu = sfu;
        this.loop = loop;
        this.negotiateLifetimeMs = negotiateLifetimeMs;
        this.observer = observer;
    }

    /** Calls are told apart by caller and call id: a call id is only unique per caller. */
    static String key(String userId, String callId) {
        return userId + "\u0000" + callId;
    }

    String key() {
        return key(caller.userId(), callId);
    }

    Participant caller() {
        return caller;
    }

    String conferenceRoomId() {
        return conferenceRoomId;
    }

    CallTransport transport() {
        return transport;
    }

    /** Whether its endpoint was allocated requiring end-to-end-encrypted media. */
    boolean requiresE2ee() {
        return requireE2ee;
    }

    // ---------------------------------------------------------------- setting up

    /**
     * Allocates the endpoint, applies the caller's offer and sends the answer and the SFU's candidates. Completes once
     * they are sent, or once the refusal is (a setup the SFU refuses is refused in words).
     */
    Future<Void> answer(Role role, boolean requireE2ee, CallInvite invite) {
        this.role = role;
        this.requireE2ee = requireE2ee;
        return loop.from(sfu.allocate(new AllocateRequest(conferenceRoomId, caller.id(), role, requireE2ee),
                        listener()))
                .compose(allocation -> {
                    endpointId = allocation.endpointId();
                    if (phase == Phase.ENDED) {
                        // The caller hung up meanwhile.
                        sfu.close(endpointId, "the call ended during its setup");
                        return Future.<SfuDescription>succeededFuture();
                    }
                    observer.allocated(this);
                    return loop.from(sfu.applyOffer(endpointId, invite.sdp(), invite.metadata()));
                })
                .transform(ar -> {
                    if (ar.failed()) {
                        LOG.info("could not set up call {} of {}: {}", callId, caller.userId(), ar.cause().toString());
                        return refuse(Notices.setupFailed(Notices.detail(ar.cause())));
                    }
                    // Send failures are the outbox's to log; the call goes on.
                    return ar.result() == null ? Future.succeededFuture() : sendAnswer(ar.result()).otherwiseEmpty();
                });
    }

    private Future<Void> sendAnswer(SfuDescription answer) {
        if (phase == Phase.ENDED) return Future.succeededFuture();
        phase = Phase.ANSWERED;
        LOG.info("answered call {} of {} ({}) for conference {} over {}", callId, caller.userId(), role,
                conferenceRoomId, transport.describe());
        send(CallContent.ANSWER, CallContent.answer(answer.sdp(), answer.streams()));
        return send(CallContent.CANDIDATES, CallContent.candidates(answer.sdp()));
    }

    /** Refuses the call: {@code m.call.reject} and a notice saying why; no endpoint stays. */
    Future<Void> refuse(String words) {
        if (phase == Phase.ENDED) return Future.succeededFuture();
        phase = Phase.ENDED;
        if (endpointId != null) sfu.close(endpointId, "call refused");
        send(CallContent.REJECT, CallContent.reject(words));
        Future<Void> told = outbox.then("a notice", () -> transport.refusalNotice(words));
        observer.ended(this);
        return told.otherwiseEmpty();
    }

    // ---------------------------------------------------------------- the caller's events

    /** An m.call.* event of this call from the caller (not the invite). */
    Future<Void> onClientEvent(String type, JsonObject content) {
        if (phase == Phase.ENDED) return Future.succeededFuture();
        return switch (type) {
            case CallContent.CANDIDATES -> candidates(content);
            case CallContent.NEGOTIATE -> negotiate(content);
            case CallContent.METADATA_CHANGED -> metadataChanged(content);
            case CallContent.SELECT_ANSWER -> {
                if (!partyId.equals(content.getValue("selected_party_id"))) end(null, null, false);
                yield Future.succeededFuture();
            }
            case CallContent.HANGUP, CallContent.REJECT -> {
                end(null, null, false);
                yield Future.succeededFuture();
            }
            default -> Future.succeededFuture();
        };
    }

    private Future<Void> candidates(JsonObject content) {
        if (endpointId == null || !(content.getValue("candidates") instanceof JsonArray list)) {
            return Future.succeededFuture();
        }
        for (Object o : list) {
            if (o instanceof JsonObject c && c.getValue("candidate") instanceof String candidate) {
                loop.from(sfu.addRemoteCandidate(endpointId, candidate,
                        c.getValue("sdpMid") instanceof String mid ? mid : null))
                        .onFailure(x -> LOG.debug("call {}: candidate refused: {}", callId, x.toString()));
            }
        }
        return Future.succeededFuture();
    }

    private Future<Void> negotiate(JsonObject content) {
        if (endpointId == null || !(content.getValue("description") instanceof JsonObject d)
                || !(d.getValue("sdp") instanceof String sdp)) {
            return Future.succeededFuture();
        }
        if ("answer".equals(d.getValue("type"))) {
            return loop.from(sfu.applyAnswer(endpointId, sdp)).recover(x -> {
                LOG.warn("call {}: the answer to the SFU's offer was refused: {}", callId, x.toString());
                return Future.succeededFuture();
            });
        }
        if (!"offer".equals(d.getValue("type"))) return Future.succeededFuture();
        // A new offer of the client (tracks added, an ICE restart): the SFU answers it.
        return loop.from(sfu.applyOffer(endpointId, sdp, SdpStreamMetadata.read(content)))
                .compose(answer -> send(CallContent.NEGOTIATE,
                        CallContent.negotiate("answer", answer.sdp(), answer.streams(), negotiateLifetimeMs)))
                .recover(x -> {
                    LOG.warn("call {}: offer refused: {}", callId, x.toString());
                    end("unknown_error", Notices.renegotiationRefused(Notices.detail(x)), false);
                    return Future.succeededFuture();
                });
    }

    private Future<Void> metadataChanged(JsonObject content) {
        Map<String, StreamMetadata> streams = SdpStreamMetadata.read(content);
        if (endpointId == null || streams.isEmpty()) return Future.succeededFuture();
        return loop.from(sfu.setStreamMetadata(endpointId, streams)).recover(x -> {
            LOG.debug("call {}: stream metadata refused: {}", callId, x.toString());
            return Future.succeededFuture();
        });
    }

    // ---------------------------------------------------------------- the SFU's events

    private EndpointListener listener() {
        return new EndpointListener() {
            @Override
            public void onConnected(String endpointId) {
                loop.run(CallSession.this::sfuConnected);
            }

            @Override
            public void onFailed(String endpointId, FailureReason reason, String detail) {
                loop.run(() -> sfuFailed(reason, detail));
            }

            @Override
            public void onClosed(String endpointId, CloseCause cause, String detail) {
                loop.run(() -> sfuClosed(cause, detail));
            }

            @Override
            public void onOffer(String endpointId, SfuDescription offer) {
                loop.run(() -> sfuOffer(offer.sdp(), offer.streams()));
            }

            @Override
            public void onOffer(String endpointId, String sdpOffer) {
                // An SFU that describes no streams: the negotiate carries no metadata rather than a wrong one.
                loop.run(() -> sfuOffer(sdpOffer, null));
            }

            @Override
            public void onStreamMetadata(String endpointId, Map<String, StreamMetadata> streams) {
                loop.run(() -> sfuStreamMetadata(streams));
            }

            @Override
            public void onMediaRefused(String endpointId, String detail) {
                loop.run(() -> sfuMediaRefused(detail));
            }
        };
    }

    private void sfuConnected() {
        if (phase != Phase.ENDED) observer.connected(this);
    }

    private void sfuOffer(String sdp, Map<String, StreamMetadata> streams) {
        if (phase == Phase.ENDED) return;
        JsonObject content = streams != null ? CallContent.negotiate("offer", sdp, streams, negotiateLifetimeMs)
                : new JsonObject().put("description", new JsonObject().put("type", "offer").put("sdp", sdp))
                        .put("lifetime", negotiateLifetimeMs);
        send(CallContent.NEGOTIATE, content);
    }

    private void sfuStreamMetadata(Map<String, StreamMetadata> streams) {
        if (phase != Phase.ENDED) send(CallContent.METADATA_CHANGED, CallContent.metadataChanged(streams));
    }

    private void sfuMediaRefused(String detail) {
        if (phase == Phase.ENDED) return;
        if (!mediaRefusedLogged) {
            mediaRefusedLogged = true;
            LOG.warn("call {} of {}: media refused as not end-to-end encrypted ({})", callId, caller.id(), detail);
        }
        notice(Notices.mediaRefused(detail));
    }

    private void sfuFailed(FailureReason reason, String detail) {
        if (phase == Phase.ENDED) return;
        LOG.info("call {} of {} failed: {} ({})", callId, caller.userId(), reason, detail);
        end(CallContent.hangupReason(reason), Notices.failure(reason), true);
    }

    private void sfuClosed(CloseCause cause, String detail) {
        if (phase == Phase.ENDED) return;
        switch (cause) {
            // The client closed its connection (right after its hangup, which may still be on its way), or another
            // controller closed the endpoint: nothing to tell the client, and no hangup to answer its own.
            case CLIENT, CONTROL -> end(null, null, true);
            case HOST -> end("user_hangup", Notices.hostDisconnected(detail), true, CallContent.CODE_DISCONNECTED);
            case REFUSED -> end("user_hangup", Notices.notLetIn(detail), true, CallContent.CODE_REFUSED);
            case SHUTDOWN -> end("user_hangup", Notices.shuttingDown(), true, CallContent.CODE_SHUTDOWN);
            case OPERATOR -> end("user_hangup", Notices.endedByOperator(), true, CallContent.CODE_OPERATOR);
            case FAILURE -> end("unknown_error", null, true);
        }
    }

    // ---------------------------------------------------------------- ending

    /**
     * Ends the call once: frees the endpoint (unless the SFU already closed it), sends {@code m.call.hangup} when
     * the bot ends it ({@code hangupReason} not null) and a notice when there is something to say.
     */
    void end(String hangupReason, String words, boolean endpointClosed) {
        end(hangupReason, words, endpointClosed, null);
    }

    /** ... with {@code code} ({@code org.conclave.code}) on the hangup: why, for clients to tell in their words. */
    private void end(String hangupReason, String words, boolean endpointClosed, String code) {
        if (phase == Phase.ENDED) return;
        phase = Phase.ENDED;
        if (endpointId != null && !endpointClosed) {
            loop.from(sfu.close(endpointId, hangupReason == null ? "the client ended the call" : hangupReason))
                    .onFailure(x -> LOG.debug("call {}: close: {}", callId, x.toString()));
        }
        if (hangupReason != null) {
            JsonObject hangup = CallContent.hangup(hangupReason, words);
            send(CallContent.HANGUP, code == null ? hangup : hangup.put(CallContent.CODE, code));
        }
        if (words != null) notice(words);
        observer.ended(this);
        LOG.info("call {} of {} ended{}", callId, caller.userId(),
                hangupReason == null ? "" : " (" + hangupReason + ")");
    }

    /** Everything queued for the caller has been sent (or failed). */
    Future<Void> idle() {
        return outbox.idle();
    }

    private Future<Void> send(String type, JsonObject content) {
        return outbox.then(type, () -> transport.send(type, content));
    }

    private Future<Void> notice(String words) {
        return outbox.then("a notice", () -> transport.notice(words));
    }
}
