package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.appservice.intent.Intent;
import org.conclave.appservice.room.RoomState;
import org.conclave.appservice.room.RoomStateCache;
import org.conclave.sfu.control.SfuControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conference calls (docs/protocol.md, "Matrix: placing a conference call"), the {@link EventHandler} Main installs:
 * routes what the homeserver pushes to the part that owns it. State events feed the {@link RoomStateCache} (ahead of
 * the room queues); invites of the bot go to {@link RoomInvites}; call invites, over room events or to-device
 * messages (put back in order by {@link SeqOrdering}), become {@link CallSession}s set up by {@link CallSetup}; the
 * other m.call.* events go to their call; membership, power-level and encryption changes of conference rooms to
 * {@link Conferences}. All of it on one Vert.x context ({@link CallLoop}).
 */
public final class CallService implements EventHandler, CallSession.Observer {
    private static final Logger LOG = LoggerFactory.getLogger(CallService.class);
    private static final String CALL_EVENT_PREFIX = "m.call.";

    private final CallLoop loop;
    private final SfuControl sfu;
    private final BotClient bot;
    private final BotIdentity me;
    private final CallConfig config;
    private final RoomStateCache rooms;
    private final Conferences conferences;
    private final RoomInvites invites;
    private final CallSetup setup;
    private final SeqOrdering<EphemeralEvent> toDeviceOrder = new SeqOrdering<>();
    private final InviteLimiter limiter;
    private final Map<String, CallSession> calls = new HashMap<>();
    /** Ended calls whose last sends (a hangup, a notice) are still on their way. */
    private final Set<CallSession> finishing = new HashSet<>();
    private final SecureRandom random = new SecureRandom();

    CallService(Vertx vertx, SfuControl sfu, BotClient bot, RoomStateCache.StateFetcher fetcher, BotIdentity me,
            CallConfig config) {
        this(vertx, sfu, bot, fetcher, me, config, System::nanoTime);
    }

    /** @param nanos the clock of the caps (tests) */
    CallService(Vertx vertx, SfuControl sfu, BotClient bot, RoomStateCache.StateFetcher fetcher, BotIdentity me,
            CallConfig config, LongSupplier nanos) {
        this.loop = new CallLoop(vertx);
        this.sfu = sfu;
        this.bot = bot;
        this.me = me;
        this.config = config;
        this.rooms = new RoomStateCache(me.userId(), Set.of(Conferences.CALL_STATE), fetcher);
        this.conferences = new Conferences(bot, me, rooms, sfu, loop, config);
        this.invites = new RoomInvites(bot, rooms, config);
        this.setup = new CallSetup(rooms, config);
        this.limiter = new InviteLimiter(config.limits(), nanos);
    }

    /** The call service of a running server (its Vert.x, its SFU, the bot's intent), as Main installs it. */
    public static CallService create(Vertx vertx, SfuControl sfu, Intent bot, ServerConfig config) {
        byte[] session = new byte[12];
        new SecureRandom().nextBytes(session);
        BotIdentity me = new BotIdentity(bot.userId(), config.appservice().deviceId(),
                HexFormat.of().formatHex(session));
        return new CallService(vertx, sfu, BotClient.of(bot), bot::roomState, me, config.calls());
    }

    /** Ends the conference states an earlier run left running (a kill, a lost homeserver) in every room. */
    @Override
    public void onStarted() {
        loop.bind();
        bot.joinedRooms().compose(conferences::endStale).onFailure(x -> LOG.warn("could not look for conferences an "
                + "earlier run left running: {}", x.toString()));
    }

    @Override
    public void onStateEvents(List<RoomEvent> events) {
        events.forEach(rooms::ingest);
    }

    @Override
    public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
        loop.bind();
        if (event.sender().equals(me.userId())) return Future.succeededFuture();
        try {
            return switch (event.type()) {
                case RoomState.MEMBER -> event.isState() ? membership(event) : Future.succeededFuture();
                case RoomState.POWER_LEVELS -> {
                    if (event.isState()) conferences.powerLevelsChanged(event.roomId());
                    yield Future.succeededFuture();
                }
                case RoomState.ENCRYPTION -> event.isState() ? conferences.encryptionEnabled(event.roomId())
                        : Future.succeededFuture();
                case "m.room.encrypted" -> invites.encryptedMessage(event);
                case CallContent.INVITE -> roomInvite(event);
                default -> event.type().startsWith(CALL_EVENT_PREFIX)
                        ? toCall(event.sender(), event.roomId(), null, event.type(), event.content())
                        : Future.succeededFuture();
            };
        } catch (RuntimeException e) {
            // Malformed content of one event must never stop the room's queue.
            LOG.warn("ignoring malformed {} {} in {}: {}", event.type(), event.eventId(), event.roomId(), e.toString());
            return Future.succeededFuture();
        }
    }

    @Override
    public Future<Void> onToDevice(EphemeralEvent message, Delivery delivery) {
        loop.bind();
        JsonObject content = message.content();
        String callId = CallInvite.id(content, "call_id");
        String device = CallInvite.id(content, "device_id");
        if (!message.type().startsWith(CALL_EVENT_PREFIX) || !me.userId().equals(message.toUserId())) {
            return Future.succeededFuture();
        }
        if (message.sender() == null || callId == null || device == null) {
            LOG.info("ignoring to-device {} without sender, call_id or device_id", message.type());
            return Future.succeededFuture();
        }
        if (!(content.getValue("seq") instanceof Number seq) || seq.longValue() < 0) return fromDevice(message);
        SeqOrdering.Outcome<EphemeralEvent> outcome = toDeviceOrder.accept(
                message.sender() + "\u0000" + device + "\u0000" + callId, seq.longValue(), message);
        if (outcome.duplicate()) LOG.debug("dropping a repeated to-device {} of call {}", message.type(), callId);
        if (outcome.gapSkipped()) {
            LOG.warn("call {} of {}: gave up waiting for a missing to-device message", callId, message.sender());
        }
        Future<Void> handled = Future.succeededFuture();
        for (EphemeralEvent ready : outcome.ready()) handled = handled.transform(x -> fromDevice(ready));
        return handled;
    }

    private Future<Void> fromDevice(EphemeralEvent message) {
        try {
            String device = CallInvite.id(message.content(), "device_id");
            return message.type().equals(CallContent.INVITE) ? toDeviceInvite(message, device)
                    : toCall(message.sender(), null, device, message.type(), message.content());
        } catch (RuntimeException e) {
            LOG.warn("ignoring malformed to-device {} from {}: {}", message.type(), message.sender(), e.toString());
            return Future.succeededFuture();
        }
    }

    // ---------------------------------------------------------------- invites

    private Future<Void> roomInvite(RoomEvent event) {
        CallInvite invite = parse(event.content(), event.eventId());
        if (invite == null) return Future.succeededFuture();
        long age = event.json().getValue("unsigned") instanceof JsonObject u && u.getValue("age") instanceof Number a
                ? a.longValue() : 0;
        if (age > invite.lifetimeMs()) {
            LOG.info("ignoring expired m.call.invite {} ({} ms old, lifetime {} ms)", event.eventId(), age,
                    invite.lifetimeMs());
            return Future.succeededFuture();
        }
        String partyId = newPartyId();
        return start(event.sender(), invite, partyId,
                new RoomTransport(bot, event.roomId(), invite.callId(), partyId, event.eventId()));
    }

    private Future<Void> toDeviceInvite(EphemeralEvent message, String device) {
        CallInvite invite = parse(message.content(), "to-device from " + message.sender());
        if (invite == null) return Future.succeededFuture();
        String partyId = newPartyId();
        ToDeviceTransport.Caller caller = new ToDeviceTransport.Caller(message.sender(), device, invite.sessionId());
        return start(message.sender(), invite, partyId, new ToDeviceTransport(bot, me, caller, invite.confId(),
                invite.callId(), partyId, rooms, conferences.resolve(invite.confId()), limiter::mayNoticeRoom));
    }

    private CallInvite parse(JsonObject content, String what) {
        try {
            CallInvite invite = CallInvite.parse(content);
            if (invite.invitee() != null && !invite.invitee().equals(me.userId())) return null;
            return invite;
        } catch (CallInvite.Unusable e) {
            LOG.info("ignoring m.call.invite ({}): {}", what, e.getMessage());
            return null;
        }
    }

    private Future<Void> start(String sender, CallInvite invite, String partyId, CallTransport transport) {
        String key = CallSession.key(sender, invite.callId());
        if (calls.containsKey(key)) return Future.succeededFuture(); // delivered twice
        String conference = conferences.resolve(invite.confId());
        InviteLimiter.Refusal limited = limiter.admit(sender, callsOf(sender), conference);
        if (limited != null && !limited.tell()) {
            LOG.debug("dropping call {} of {} unanswered ({}; told recently)", invite.callId(), sender,
                    limited.reason());
            return Future.succeededFuture();
        }
        CallSession call = new CallSession(invite.callId(), new Participant(sender, invite.deviceId()), conference,
                partyId, transport, sfu, loop, config.negotiateLifetimeMs(), this);
        calls.put(key, call);
        if (limited != null) {
            LOG.info("refused call {} of {}: {} (further ones are dropped unanswered for {} ms)", invite.callId(),
                    sender, limited.reason(), config.limits().limitNoticeIntervalMs());
            return call.refuse(limited.words());
        }
        return setup.start(call, invite);
    }

    /** The user's calls being set up or running, on all devices. */
    private int callsOf(String userId) {
        int n = 0;
        for (CallSession c : calls.values()) {
            if (c.caller().userId().equals(userId)) n++;
        }
        return n;
    }

    /** How often invites were refused by the caps (for the metrics; read from any thread). */
    public LimitCounters limits() {
        return limiter.counters();
    }

    // ---------------------------------------------------------------- during calls

    /** An m.call.* event (not an invite) for a call, if it came the way the call runs. */
    private Future<Void> toCall(String sender, String roomId, String deviceId, String type, JsonObject content) {
        String callId = CallInvite.id(content, "call_id");
        CallSession call = callId == null ? null : calls.get(CallSession.key(sender, callId));
        if (call == null || !call.transport().carries(roomId, deviceId)) {
            LOG.debug("ignoring {} of a call I do not know ({} from {})", type, callId, sender);
            return Future.succeededFuture();
        }
        return call.onClientEvent(type, content);
    }

    private Future<Void> membership(RoomEvent event) {
        String target = event.stateKey();
        String membership = event.content().getValue("membership") instanceof String m ? m : "";
        if (me.userId().equals(target) && membership.equals("invite")) return invites.invited(event);
        if (membership.equals("leave") || membership.equals("ban")) {
            boolean removed = membership.equals("ban") || !target.equals(event.sender());
            for (CallSession call : conferences.callsOf(event.roomId(), target)) {
                call.end("user_hangup", Notices.leftRoom(removed), false);
            }
        }
        return Future.succeededFuture();
    }

    // ---------------------------------------------------------------- CallSession.Observer

    @Override
    public void allocated(CallSession call) {
        conferences.allocated(call, call.requiresE2ee());
    }

    @Override
    public void connected(CallSession call) {
        conferences.connected(call);
    }

    @Override
    public void ended(CallSession call) {
        calls.remove(call.key(), call);
        conferences.ended(call);
        finishing.add(call);
        call.idle().onComplete(x -> finishing.remove(call));
    }

    /** After the SFU closed every endpoint (their hangups are queued by then): waits for every send to go out. */
    @Override
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        loop.run(() -> {
            List<Future<Void>> sends = new ArrayList<>(conferences.idle());
            calls.values().forEach(c -> sends.add(c.idle()));
            finishing.forEach(c -> sends.add(c.idle()));
            Future.join(sends).<Void>mapEmpty().onComplete(x -> done.complete());
        });
        return done.future();
    }

    private String newPartyId() {
        byte[] b = new byte[6];
        random.nextBytes(b);
        return "conclave-" + HexFormat.of().formatHex(b);
    }
}
