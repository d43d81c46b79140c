package org.conclave.sfu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.sdp.SdpLimit;
import org.junit.jupiter.api.Test;

class GatedControlTest {
    /** Allocates "e1", "e2", ... and keeps the listeners it was given. */
    private static final class Inner implements SfuControl {
        final List<EndpointListener> listeners = new ArrayList<>();

        @Override
        public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
            listeners.add(listener);
            return CompletableFuture.completedFuture(new EndpointAllocation("e" + listeners.size(),
                    request.conferenceId()));
        }

        @Override
        public CompletionStage<SfuDescription> applyOffer(String id, String sdp, Map<String, StreamMetadata> m) {
            if (sdp.startsWith("bad")) return failed(FailureReason.BAD_SDP, sdp);
            if (sdp.startsWith("many")) {
                return CompletableFuture.failedFuture(new SfuException(FailureReason.BAD_SDP, sdp,
                        SdpLimit.SDP_MAX_MEDIA_SECTIONS));
            }
            if (sdp.startsWith("gone")) return failed(FailureReason.NOT_FOUND, sdp);
            return CompletableFuture.completedFuture(new SfuDescription("answer", Map.of()));
        }

        @Override
        public CompletionStage<Void> setStreamMetadata(String id, Map<String, StreamMetadata> m) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> requireE2ee(String conferenceId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> applyAnswer(String id, String sdp) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> addRemoteCandidate(String id, String candidate, String mid) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> setVideoQuality(String id, String s, String t, VideoQuality q) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> close(String id, String reason, CloseCause cause) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static <T> CompletionStage<T> failed(FailureReason reason, String detail) {
        return CompletableFuture.failedFuture(new SfuException(reason, detail));
    }

    @Test
    void countsOutcomesKeepsTheDirectoryAndPassesEveryEventOn() {
        Inner inner = new Inner();
        GatedControl gated = new GatedControl(inner);
        List<String> heard = new ArrayList<>();
        EndpointListener caller = new EndpointListener() {
            @Override
            public void onConnected(String id) {
                heard.add("connected " + id);
            }

            @Override
            public void onFailed(String id, FailureReason reason, String detail) {
                heard.add("failed " + reason);
            }

            @Override
            public void onClosed(String id, CloseCause cause, String detail) {
                heard.add("closed " + cause + " " + detail);
            }
        };

        EndpointAllocation a = gated.allocate(new AllocateRequest("!conf", "@a/DEV", Role.HOST), caller)
                .toCompletableFuture().join();
        assertThat(gated.directory().get(a.endpointId())).isEqualTo(
                new EndpointDirectory.Entry("e1", "!conf", "@a/DEV"));
        EndpointListener counting = inner.listeners.get(0);
        counting.onConnected("e1");
        counting.onFailed("e1", FailureReason.DTLS_FAILED, "x");
        counting.onClosed("e1", CloseCause.SHUTDOWN, "bye");

        assertThat(heard).containsExactly("connected e1", "failed DTLS_FAILED", "closed SHUTDOWN bye");
        assertThat(gated.counters().allocations()).isEqualTo(1);
        assertThat(gated.counters().connections()).isEqualTo(1);
        assertThat(gated.counters().failures(FailureReason.DTLS_FAILED)).isEqualTo(1);
        assertThat(gated.counters().closes(CloseCause.SHUTDOWN)).isEqualTo(1);
        assertThat(gated.directory().get("e1")).isNull();
    }

    @Test
    void aDrainingNodeRefusesNewEndpointsInWordsAndResumes() {
        Inner inner = new Inner();
        GatedControl gated = new GatedControl(inner);
        gated.setDraining(true);

        CompletableFuture<EndpointAllocation> refused = gated.allocate(new AllocateRequest("!c", "p", Role.GUEST),
                new EndpointListener() {}).toCompletableFuture();

        assertThat(refused).isCompletedExceptionally();
        Throwable why = refused.handle((ok, e) -> e instanceof CompletionException c ? c.getCause() : e).join();
        assertThat(why).isInstanceOfSatisfying(SfuException.class, e -> {
            assertThat(e.reason()).isEqualTo(FailureReason.CAPACITY);
            assertThat(e.getMessage()).isEqualTo(GatedControl.DRAINING);
        });
        assertThat(inner.listeners).isEmpty();
        assertThat(gated.counters().refusedDraining()).isEqualTo(1);

        gated.setDraining(false);
        assertThat(gated.allocate(new AllocateRequest("!c", "p", Role.GUEST), new EndpointListener() {})
                .toCompletableFuture().join().endpointId()).isEqualTo("e1");
    }

    @Test
    void refusedOffersAreCountedAndStillFail() {
        GatedControl gated = new GatedControl(new Inner());

        CompletableFuture<SfuDescription> bad = gated.applyOffer("e1", "bad: 9 sending m-lines", Map.of())
                .toCompletableFuture();
        gated.applyOffer("e1", "gone", Map.of());
        gated.applyOffer("e1", "v=0", Map.of());
        CompletableFuture<SfuDescription> many = gated.applyOffer("e1", "many: 65 m-sections", Map.of())
                .toCompletableFuture();

        assertThat(bad).isCompletedExceptionally();
        assertThat(many).isCompletedExceptionally();
        assertThat(gated.counters().sdpRefused()).isEqualTo(2);
        assertThat(gated.counters().sdpRefused(null)).as("unusable, no limit").isEqualTo(1);
        assertThat(gated.counters().sdpRefused(SdpLimit.SDP_MAX_MEDIA_SECTIONS)).isEqualTo(1);
        assertThat(gated.counters().sdpRefused(SdpLimit.SDP_MAX_CHARS)).isZero();
    }

    /** A listener method added to the contract later must be forwarded too, or the appservice would stop hearing it. */
    @Test
    void theCountingListenerForwardsEveryListenerMethod() throws Exception {
        Class<?> counting = Class.forName(GatedControl.class.getName() + "$Counting");
        for (Method m : EndpointListener.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            assertThat(counting.getDeclaredMethod(m.getName(), m.getParameterTypes())).as(m.toString()).isNotNull();
        }
    }
}
