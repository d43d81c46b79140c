package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.tests.client.AudioSender;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, must-show 2: joiners whose client drops any offer that arrives before the bot's answer (as VoIP v1
 * callers may, and matrix-js-sdk does while it is the impolite side) still get everyone's media, for 20 joins into a
 * running conference. The bot sends everything of one call in order, so the SFU's re-offer never overtakes the answer:
 * no offer is dropped at all.
 */
class OfferOrderTest {
    private static final int JOINS = 20;
    private static final long PACKETS = 10;
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** A caller that ignores the bot's offers until it has the bot's answer; counts what it ignored. */
    private static final class StrictCaller implements EndpointListener, AutoCloseable {
        final JavaPeer peer = new JavaPeer();
        final MatrixCall call;
        final AtomicInteger dropped = new AtomicInteger();
        AudioSender audio;

        StrictCaller(CallRig rig, ScriptedClient user, String room) throws Exception {
            call = rig.bridge.open(user, MatrixCallBridge.deviceId(user.userId()), room, this);
        }

        void connect() throws Exception {
            peer.connect(call.offer(peer.offer()).toCompletableFuture()
                    .get(CallRig.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            audio = new AudioSender(peer);
        }

        @Override
        public void onOffer(String endpointId, String sdpOffer) {
            if (call.botEvents().stream().noneMatch(e -> e.getString("type").equals(CallContent.ANSWER))) {
                dropped.incrementAndGet();
                return;
            }
            call.answer(peer.answerTo(sdpOffer));
        }

        @Override
        public void close() {
            if (audio != null) audio.close();
            call.hangup("user_hangup");
            call.stop();
            peer.close();
        }
    }

    @Test
    void twentyJoinersThatDropEarlyOffersGetEveryonesMedia() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            ScriptedClient joiner = rig.user("joiner");
            String room = rig.conferenceRoom(alice, bob, joiner);
            try (StrictCaller a = new StrictCaller(rig, alice, room); StrictCaller b = new StrictCaller(rig, bob, room)) {
                a.connect();
                b.connect();
                awaitMedia(b.peer, a.peer, "bob from alice");
                awaitMedia(a.peer, b.peer, "alice from bob");

                for (int i = 1; i <= JOINS; i++) {
                    try (StrictCaller j = new StrictCaller(rig, joiner, room)) {
                        j.connect();
                        for (StrictCaller present : List.of(a, b)) {
                            awaitMedia(j.peer, present.peer, "joiner " + i + " from " + present.call.caller().userId());
                            awaitMedia(present.peer, j.peer, present.call.caller().userId() + " from joiner " + i);
                        }
                        assertThat(j.dropped).as("offers before the answer, joiner %d", i).hasValue(0);
                    }
                    rig.awaitEndpointCount(2, CallRig.TIMEOUT);
                }
                assertThat(a.dropped).hasValue(0);
                assertThat(b.dropped).hasValue(0);
            }
        }
    }

    private static void awaitMedia(JavaPeer receiver, JavaPeer sender, String what) {
        long base = receiver.audioPacketsFrom(sender);
        await(() -> receiver.audioPacketsFrom(sender) >= base + PACKETS, what);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + MEDIA_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("no media: " + what + " within " + MEDIA_TIMEOUT);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
