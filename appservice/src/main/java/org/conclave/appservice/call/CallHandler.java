package org.conclave.appservice.call;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.conclave.appservice.ConclaveServer;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.appservice.intent.Intent;
import org.conclave.appservice.intent.TxnIds;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conference calls signalled with VoIP v1 events (docs/protocol.md, "Matrix: placing a conference call"): answers
 * participants' calls in their DMs with SFU endpoints, relays renegotiation both ways, hangs up on SFU failures and on
 * leaving the conference room, and publishes the conference's MSC3401 call state. All state lives on the Vert.x
 * context the events arrive on; SFU callbacks are posted back to it.
 */
public final class CallHandler implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CallHandler.class);
    static final long DEFAULT_INVITE_LIFETIME_MS = 60_000;
    static final String CONFERENCE_NAME = "Conclave conference";

    private final Vertx vertx;
    private final SfuControl sfu;
    private final Intent bot;
    private final CallConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, CallSession> calls = new HashMap<>();
    private final Map<String, CallSession> byEndpoint = new HashMap<>();
    private final Map<String, ConferenceCall> conferences = new HashMap<>();
    private volatile Context context;

    public CallHandler(ConclaveServer server, CallConfig config) {
        this(server.vertx(), server.sfu().control(), server.matrix().bot(), config);
    }

    CallHandler(Vertx vertx, SfuControl sfu, Intent bot, CallConfig config) {
        this.vertx = vertx;
        this.sfu = sfu;
        this.bot = bot;
        this.config = config;
    }

    @Override
    public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
        if (context == null) context = vertx.getOrCreateContext();
        if (event.sender().equals(bot.userId())) return Future.succeededFuture();
        try {
            return switch (event.type()) {
                case "m.room.member" -> onMembership(event);
                case CallEvents.INVITE -> onInvite(event);
                case CallEvents.CANDIDATES -> onCandidates(event);
                case CallEvents.SELECT_ANSWER -> onSelectAnswer(event);
                case CallEvents.NEGOTIATE -> onNegotiate(event);
                case CallEvents.HANGUP, CallEvents.REJECT -> onHangup(event);
                default -> Future.succeededFuture();
            };
        } catch (RuntimeException e) {
            // Malformed content of one event must never stop the room's queue.
            LOG.warn("ignoring malformed {} {} in {}: {}", event.type(), event.eventId(), event.roomId(), e.toString());
            return Future.succeededFuture();
        }
    }

    // ---------------------------------------------------------------- membership

    private Future<Void> onMembership(RoomEvent e) {
        String target = e.stateKey();
        String membership = e.content().getString("membership");
        if (bot.userId().equals(target) && "invite".equals(membership)) {
            String server = CallEvents.serverOf(e.sender());
            if (!config.allows(server)) {
                LOG.info("declining the invite to {} from {}: server {} is not in calls.allowed_servers",
                        e.roomId(), e.sender(), server);
                return bot.leave(e.roomId()).recover(x -> Future.succeededFuture()).mapEmpty();
            }
            return bot.join(e.roomId()).recover(x -> {
                LOG.warn("could not join {}: {}", e.roomId(), x.toString());
                return Future.succeededFuture();
            }).mapEmpty();
        }
        if (target != null && ("leave".equals(membership) || "ban".equals(membership))) {
            for (CallSession s : List.copyOf(calls.values())) {
                if (s.userId.equals(target) && s.conferenceRoomId.equals(e.roomId())) {
                    endCall(s, "user_hangup", "ban".equals(membership) || !target.equals(e.sender())
                            ? "You were removed from the conference room, so your call was ended."
                            : "You left the conference room, so your call was ended.");
                }
            }
        }
        return Future.succeededFuture();
    }

    // ---------------------------------------------------------------- invite

    private Future<Void> onInvite(RoomEvent e) {
        JsonObject c = e.content();
        String callId = c.getString("call_id");
        String partyId = c.getString("party_id", "");
        JsonObject offer = c.getJsonObject("offer");
        if (callId == null || offer == null || !"offer".equals(offer.getString("type")) || offer.getString("sdp") == null) {
            LOG.info("ignoring m.call.invite {} without call_id or offer", e.eventId());
            return Future.succeededFuture();
        }
        if (!CallEvents.supportedVersion(c.getValue("version"))) {
            LOG.info("ignoring m.call.invite {} of unsupported version {}", e.eventId(), c.getValue("version"));
            return Future.succeededFuture();
        }
        String invitee = c.getString("invitee");
        if (invitee != null && !invitee.equals(bot.userId())) return Future.succeededFuture();
        long lifetime = c.getValue("lifetime") instanceof Number n ? n.longValue() : DEFAULT_INVITE_LIFETIME_MS;
        long age = e.json().getJsonObject("unsigned", new JsonObject()).getLong("age", 0L);
        if (age > lifetime) {
            LOG.info("ignoring expired m.call.invite {} ({} ms old, lifetime {} ms)", e.eventId(), age, lifetime);
            return Future.succeededFuture();
        }
        String key = CallSession.key(callId, e.sender());
        if (calls.containsKey(key)) return Future.succeededFuture(); // delivered twice
        String myParty = "conclave-" + HexFormat.of().formatHex(randomBytes(6));
        String conf = c.getString("conf_id");
        String deviceId = c.getString("device_id", "unknown");
        CallSession s = new CallSession(callId, e.roomId(), e.sender(), deviceId, partyId, conf == null ? "" : conf,
                myParty);
        if (conf == null || conf.isBlank()) {
            return refuse(e, s, "This call did not say which conference room it is for (the conf_id field of the "
                    + "invite), so I cannot connect it.");
        }
        calls.put(key, s);
        return authorize(s).compose(role -> {
            s.role = role;
            return allocateAndAnswer(e, s, offer.getString("sdp"));
        }).recover(x -> {
            LOG.info("refusing call {} from {}: {}", callId, e.sender(), x.getMessage());
            calls.remove(key);
            return refuse(e, s, x instanceof Refusal ? x.getMessage() : "I could not set up your call: " + userMessage(x));
        });
    }

    /** The caller's role, or a failed future with a {@link Refusal} saying why not. */
    private Future<Role> authorize(CallSession s) {
        return bot.stateEvent(s.conferenceRoomId, "m.room.member", s.userId).recover(x -> Future.failedFuture(
                new Refusal("I am not in the conference room " + s.conferenceRoomId + ", so I cannot check who belongs "
                        + "to it. Invite me to that room first, then call again.")))
                .compose(member -> {
                    if (member == null || !"join".equals(member.getString("membership"))) {
                        return Future.failedFuture(new Refusal("You are not a member of the conference room "
                                + s.conferenceRoomId + ". Join the room first, then call again."));
                    }
                    return bot.stateEvent(s.conferenceRoomId, "m.room.power_levels", "");
                })
                .map(levels -> {
                    int level = levels == null ? 0 : levels.getJsonObject("users", new JsonObject())
                            .getInteger(s.userId, levels.getInteger("users_default", 0));
                    return level >= config.hostPowerLevel() ? Role.HOST : Role.GUEST;
                });
    }

    private Future<Void> allocateAndAnswer(RoomEvent e, CallSession s, String sdpOffer) {
        Future<Boolean> encrypted = config.requireE2eeInEncryptedRooms()
                ? bot.stateEvent(s.conferenceRoomId, "m.room.encryption", "").map(x -> x != null)
                : Future.succeededFuture(false);
        return encrypted.compose(requireE2ee -> fromStage(sfu.allocate(new AllocateRequest(s.conferenceRoomId,
                        s.userId + "/" + s.deviceId, s.role, requireE2ee), listenerFor())))
                .compose(allocation -> {
                    s.endpointId = allocation.endpointId();
                    byEndpoint.put(s.endpointId, s);
                    return fromStage(sfu.applyOffer(s.endpointId, sdpOffer));
                })
                .compose(answer -> bot.sendEvent(s.dmRoomId, CallEvents.ANSWER,
                                CallEvents.answer(s.callId, s.partyId, answer), TxnIds.derived(e.eventId(), "answer"))
                        .compose(id -> bot.sendEvent(s.dmRoomId, CallEvents.CANDIDATES,
                                CallEvents.candidates(s.callId, s.partyId, answer), TxnIds.derived(e.eventId(), "candidates"))))
                .<Void>mapEmpty()
                .onSuccess(x -> LOG.info("answered call {} of {} ({}) for conference {}", s.callId, s.userId, s.role,
                        s.conferenceRoomId))
                .recover(x -> {
                    if (s.endpointId != null) sfu.close(s.endpointId, "call setup failed");
                    return Future.failedFuture(x);
                });
    }

    private Future<Void> refuse(RoomEvent e, CallSession s, String why) {
        String text = why;
        return bot.sendEvent(s.dmRoomId, CallEvents.REJECT, CallEvents.reject(s.callId, s.partyId),
                        TxnIds.derived(e.eventId(), "reject"))
                .compose(x -> bot.sendEvent(s.dmRoomId, "m.room.message", CallEvents.notice(text),
                        TxnIds.derived(e.eventId(), "notice")))
                .<Void>mapEmpty()
                .recover(x -> {
                    LOG.warn("could not refuse call {}: {}", s.callId, x.toString());
                    return Future.succeededFuture();
                });
    }

    // ---------------------------------------------------------------- during the call

    private Future<Void> onCandidates(RoomEvent e) {
        CallSession s = session(e);
        if (s == null || s.endpointId == null) return Future.succeededFuture();
        JsonArray list = e.content().getJsonArray("candidates", new JsonArray());
        for (Object o : list) {
            if (o instanceof JsonObject cand) {
                fromStage(sfu.addRemoteCandidate(s.endpointId, cand.getString("candidate", ""),
                        cand.getString("sdpMid"))).onFailure(x -> LOG.debug("candidate refused: {}", x.toString()));
            }
        }
        return Future.succeededFuture();
    }

    private Future<Void> onSelectAnswer(RoomEvent e) {
        CallSession s = session(e);
        if (s != null && !s.partyId.equals(e.content().getString("selected_party_id"))) {
            endCall(s, null, null);
        }
        return Future.succeededFuture();
    }

    private Future<Void> onNegotiate(RoomEvent e) {
        CallSession s = session(e);
        if (s == null || s.endpointId == null) return Future.succeededFuture();
        JsonObject d = e.content().getJsonObject("description", new JsonObject());
        String sdp = d.getString("sdp");
        if (sdp == null) return Future.succeededFuture();
        if ("answer".equals(d.getString("type"))) {
            return fromStage(sfu.applyAnswer(s.endpointId, sdp)).recover(x -> {
                LOG.warn("answer to the SFU's offer on call {} refused: {}", s.callId, x.toString());
                return Future.succeededFuture();
            });
        }
        if ("offer".equals(d.getString("type"))) {
            return fromStage(sfu.applyOffer(s.endpointId, sdp))
                    .compose(answer -> bot.sendEvent(s.dmRoomId, CallEvents.NEGOTIATE,
                            CallEvents.negotiate(s.callId, s.partyId, "answer", answer, config.negotiateLifetimeMs()),
                            TxnIds.derived(e.eventId(), "negotiate-answer")))
                    .<Void>mapEmpty()
                    .recover(x -> {
                        LOG.warn("offer on call {} refused: {}", s.callId, x.toString());
                        endCall(s, "unknown_error", "Your renegotiation could not be used: " + userMessage(x));
                        return Future.succeededFuture();
                    });
        }
        return Future.succeededFuture();
    }

    private Future<Void> onHangup(RoomEvent e) {
        CallSession s = session(e);
        if (s != null) endCall(s, null, null);
        return Future.succeededFuture();
    }

    private CallSession session(RoomEvent e) {
        String callId = e.content().getString("call_id");
        if (callId == null) return null;
        CallSession s = calls.get(CallSession.key(callId, e.sender()));
        return s != null && s.dmRoomId.equals(e.roomId()) ? s : null;
    }

    // ---------------------------------------------------------------- events from the SFU

    private EndpointListener listenerFor() {
        Context ctx = context;
        return new EndpointListener() {
            @Override
            public void onConnected(String endpointId) {
                ctx.runOnContext(v -> connected(endpointId));
            }

            @Override
            public void onFailed(String endpointId, FailureReason reason, String detail) {
                ctx.runOnContext(v -> failed(endpointId, reason, detail));
            }

            @Override
            public void onClosed(String endpointId) {
                ctx.runOnContext(v -> {
                    CallSession s = byEndpoint.get(endpointId);
                    if (s != null) endCall(s, "unknown_error", null);
                });
            }

            @Override
            public void onOffer(String endpointId, String sdpOffer) {
                ctx.runOnContext(v -> {
                    CallSession s = byEndpoint.get(endpointId);
                    if (s == null || s.ended) return;
                    bot.sendEvent(s.dmRoomId, CallEvents.NEGOTIATE, CallEvents.negotiate(s.callId, s.partyId, "offer",
                                    sdpOffer, config.negotiateLifetimeMs()), TxnIds.fresh())
                            .onFailure(x -> LOG.warn("could not send the SFU's offer on call {}: {}", s.callId, x.toString()));
                });
            }
        };
    }

    private void connected(String endpointId) {
        CallSession s = byEndpoint.get(endpointId);
        if (s == null || s.ended) return;
        s.connected = true;
        ConferenceCall conf = conferences.computeIfAbsent(s.conferenceRoomId, ConferenceCall::new);
        boolean starting = conf.connected.isEmpty() && conf.callStateId == null;
        conf.connected.add(s);
        if (starting) {
            conf.callStateId = "conclave-" + HexFormat.of().formatHex(randomBytes(8));
            bot.sendStateEvent(conf.roomId, CallEvents.CALL_STATE, conf.callStateId, callState(false))
                    .onFailure(x -> LOG.warn("could not publish the call state in {}: {}", conf.roomId, x.toString()));
        }
    }

    private void failed(String endpointId, FailureReason reason, String detail) {
        CallSession s = byEndpoint.get(endpointId);
        if (s == null) return;
        String notice = switch (reason) {
            case ICE_TIMEOUT -> "Your call could not connect: no network path to the conference server was found.";
            case ICE_CONSENT_EXPIRED -> "Your call was ended because your connection to the conference server was lost.";
            case DTLS_FINGERPRINT_MISMATCH -> "Your call was refused: your client's security certificate did not match "
                    + "the one it announced, which can mean someone tampered with the connection.";
            case DTLS_FAILED -> "Your call could not set up its encryption with the conference server.";
            case CAPACITY -> "The conference server is full.";
            default -> null;
        };
        LOG.info("call {} of {} failed: {} ({})", s.callId, s.userId, reason, detail);
        endCall(s, CallEvents.hangupReason(reason), notice);
    }

    /**
     * Ends a call once: frees the SFU endpoint, hangs up in the DM when {@code reason} is given (the bot ends it),
     * says why when {@code notice} is given, and terminates the conference's call state when it was the last one.
     */
    private void endCall(CallSession s, String reason, String notice) {
        if (s.ended) return;
        s.ended = true;
        calls.remove(s.key());
        if (s.endpointId != null) {
            byEndpoint.remove(s.endpointId);
            sfu.close(s.endpointId, reason == null ? "client hung up" : reason);
        }
        if (reason != null) {
            bot.sendEvent(s.dmRoomId, CallEvents.HANGUP, CallEvents.hangup(s.callId, s.partyId, reason),
                    TxnIds.derived(s.callId + s.partyId, "hangup")).onFailure(x -> LOG.warn("hangup not sent: {}", x.toString()));
        }
        if (notice != null) {
            bot.sendEvent(s.dmRoomId, "m.room.message", CallEvents.notice(notice),
                    TxnIds.derived(s.callId + s.partyId, "hangup-notice"));
        }
        ConferenceCall conf = conferences.get(s.conferenceRoomId);
        if (conf != null && conf.connected.remove(s) && conf.connected.isEmpty() && conf.callStateId != null) {
            String stateId = conf.callStateId;
            conf.callStateId = null;
            conferences.remove(conf.roomId);
            bot.sendStateEvent(conf.roomId, CallEvents.CALL_STATE, stateId, callState(true))
                    .onFailure(x -> LOG.warn("could not terminate the call state in {}: {}", conf.roomId, x.toString()));
        }
        LOG.info("call {} of {} ended{}", s.callId, s.userId, reason == null ? "" : " (" + reason + ")");
    }

    private JsonObject callState(boolean terminated) {
        JsonObject c = new JsonObject().put("m.intent", "m.room").put("m.type", "m.video").put("m.name", CONFERENCE_NAME)
                .put("m.focus", new JsonObject().put("user_id", bot.userId()));
        return terminated ? c.put("m.terminated", "call_ended") : c;
    }

    // ---------------------------------------------------------------- plumbing

    private <T> Future<T> fromStage(java.util.concurrent.CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, context);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String userMessage(Throwable x) {
        Throwable t = x instanceof java.util.concurrent.CompletionException && x.getCause() != null ? x.getCause() : x;
        if (t instanceof Refusal r) return r.getMessage();
        if (t instanceof SfuException e) return e.getMessage();
        return "an internal error occurred (" + t.getClass().getSimpleName() + ").";
    }

    /** A refusal whose message is meant for the caller. */
    static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
