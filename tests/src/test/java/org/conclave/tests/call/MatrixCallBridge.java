package org.conclave.tests.call;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuException;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * Lets the test peers (Chromium pages, wrtc, aiortc) behind the {@link org.conclave.tests.harness.SignalServer}
 * place real Matrix calls: each control call becomes what that participant's chat client would do on the
 * homeserver double. {@code allocate} opens the participant's DM with the bot (the conference id is the conference
 * room) and returns a call id as the endpoint id, {@code applyOffer} sends {@code m.call.invite} and returns the
 * bot's {@code m.call.answer}, the bot's {@code m.call.negotiate} offers reach the listener and the peer's answers go
 * back as {@code m.call.negotiate}, {@code close} is {@code m.call.hangup}, and the bot's hangup or reject reaches the
 * listener as failed/closed. The peer's role is ignored: the bot decides it from the room's power levels.
 */
public final class MatrixCallBridge implements SfuControl, AutoCloseable {
    /** How long the bot may take to join a new DM. */
    static final Duration BOT_JOIN_TIMEOUT = Duration.ofSeconds(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HomeserverDouble hs;
    private final ExecutorService executor;
    private final Map<String, ScriptedClient> participants = new ConcurrentHashMap<>();
    private final Map<String, String> directRooms = new ConcurrentHashMap<>();
    private final Map<String, MatrixCall> calls = new ConcurrentHashMap<>();
    private final List<MatrixCall> placed = new ArrayList<>();

    public MatrixCallBridge(HomeserverDouble hs) {
        this.hs = hs;
        AtomicInteger n = new AtomicInteger();
        // Sends and waits on the double block: never on the caller's (HTTP) thread beyond its await.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "matrix-bridge-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The peer named {@code participant} calls as {@code user}. */
    public void participant(String participant, ScriptedClient user) {
        participants.put(participant, user);
    }

    /**
     * The user's DM with the bot: created (bot invited, {@code is_direct}) on first use, returned once the bot has
     * joined it.
     */
    public String directRoom(ScriptedClient user) throws InterruptedException {
        synchronized (user) {
            String existing = directRooms.get(user.userId());
            if (existing != null) return existing;
            String room = user.createRoom(RoomOptions.directMessage(hs.botUserId()).encrypted(false));
            hs.awaitEvent(room, e -> e.getString("type").equals("m.room.member")
                    && hs.botUserId().equals(e.getString("state_key"))
                    && "join".equals(e.getJsonObject("content").getString("membership")), BOT_JOIN_TIMEOUT);
            directRooms.put(user.userId(), room);
            return room;
        }
    }

    /**
     * A new call of {@code user} (from device {@code deviceId}) to the conference in {@code conferenceRoom}, not yet
     * invited: {@link MatrixCall#offer} sends the invite.
     */
    public MatrixCall open(ScriptedClient user, String deviceId, String conferenceRoom, EndpointListener listener)
            throws InterruptedException {
        String dm = directRoom(user);
        MatrixCall call = new MatrixCall(hs, user, "call-" + HexFormat.of().formatHex(randomBytes()), deviceId,
                conferenceRoom, dm, listener);
        calls.put(call.callId(), call);
        synchronized (placed) {
            placed.add(call);
            placed.notifyAll();
        }
        return call;
    }

    /** The call of that id (= endpoint id), or null. */
    public MatrixCall call(String callId) {
        return calls.get(callId);
    }

    /** Every call opened, in order. */
    public List<MatrixCall> calls() {
        synchronized (placed) {
            return List.copyOf(placed);
        }
    }

    /** The first call of {@code user}, waiting up to {@code timeout}. */
    public MatrixCall awaitCall(ScriptedClient user, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (placed) {
            while (true) {
                for (MatrixCall c : placed) {
                    if (c.caller().userId().equals(user.userId())) return c;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError(user.userId() + " placed no call within " + timeout);
                placed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        calls.values().forEach(MatrixCall::stop);
        executor.shutdownNow();
    }

    // ---- SfuControl, as the SignalServer drives it --------------------------------------------------------------

    @Override
    public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
        return async(() -> {
            ScriptedClient user = participants.get(request.participantId());
            if (user == null) {
                throw new SfuException(FailureReason.INTERNAL, "no Matrix user for participant "
                        + request.participantId() + " (MatrixCallBridge.participant)");
            }
            MatrixCall call = open(user, deviceId(request.participantId()), request.conferenceId(), listener);
            return new EndpointAllocation(call.callId(), request.conferenceId());
        });
    }

    @Override
    public CompletionStage<org.conclave.sfu.control.SfuDescription> applyOffer(String endpointId, String sdpOffer,
            Map<String, org.conclave.sfu.control.StreamMetadata> metadata) {
        return async(() -> new org.conclave.sfu.control.SfuDescription(
                require(endpointId).offer(sdpOffer).toCompletableFuture().join(), Map.of()));
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId,
            Map<String, org.conclave.sfu.control.StreamMetadata> metadata) {
        // The peers behind this bridge describe no streams.
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        // The bot decides it from the conference room's state.
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        return async(() -> {
            require(endpointId).answer(sdpAnswer);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        return async(() -> {
            require(endpointId).candidate(candidate, sdpMid);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            org.conclave.sfu.control.VideoQuality quality) {
        // Matrix has no message for it: clients subscribe over the data channel to the SFU.
        return java.util.concurrent.CompletableFuture.failedFuture(new org.conclave.sfu.control.SfuException(
                org.conclave.sfu.control.FailureReason.INTERNAL, "video quality is chosen over the data channel"));
    }

    @Override
    public CompletionStage<Void> close(String endpointId, String reason,
            org.conclave.sfu.control.CloseCause cause) {
        return async(() -> {
            MatrixCall call = calls.get(endpointId);
            if (call != null) call.hangup("user_hangup");
            return null;
        });
    }

    /** A device id per peer, as a client has one per login. */
    static String deviceId(String participant) {
        return "DEV_" + participant.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private MatrixCall require(String callId) {
        MatrixCall call = calls.get(callId);
        if (call == null) throw new SfuException(FailureReason.INTERNAL, "no call " + callId);
        return call;
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    /** Runs on the bridge's threads; failures surface with their own exception (SfuException for the peer). */
    private <T> CompletionStage<T> async(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(work.run());
            } catch (CompletionException e) {
                result.completeExceptionally(e.getCause() == null ? e : e.getCause());
            } catch (Exception | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }
}
