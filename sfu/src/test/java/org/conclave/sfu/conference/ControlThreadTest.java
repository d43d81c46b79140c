package org.conclave.sfu.conference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control thread serves conferences in turn, each one's work in order (issue #16: a crowd in one conference). */
class ControlThreadTest {
    private final ControlThread control = new ControlThread();
    /** What ran, in the order it ran (appended on the control thread only, read after a call through it). */
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        control.shutdown();
    }

    @Test
    void anotherConferenceWaitsOneTaskNotTheWholeCrowd() throws Exception {
        CountDownLatch release = holdTheThread();
        for (int i = 0; i < 100; i++) {
            int n = i;
            control.post("crowd", () -> ran.add("crowd-" + n));
        }
        CompletableFuture<String> other = control.call("other", () -> {
            ran.add("other");
            return "set up";
        }).toCompletableFuture();
        release.countDown();

        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("set up");
        awaitIdle();
        assertThat(ran.indexOf("other")).as("the other conference's call, among the crowd's 100").isEqualTo(1);
        assertThat(ran.stream().filter(s -> s.startsWith("crowd-")).toList())
                .as("one conference's tasks run in the order they came")
                .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "crowd-" + i).toList());
    }

    @Test
    void conferencesTakeTurnsOneTaskEach() throws Exception {
        CountDownLatch release = holdTheThread();
        for (int i = 0; i < 3; i++) {
            int n = i;
            control.post("a", () -> ran.add("a" + n));
        }
        for (int i = 0; i < 2; i++) {
            int n = i;
            control.post("b", () -> ran.add("b" + n));
        }
        control.post(() -> ran.add("node"));
        release.countDown();
        awaitIdle();

        assertThat(ran).containsExactly("a0", "b0", "node", "a1", "b1", "a2");
    }

    @Test
    void endpointWorkTakesItsConferencesTurnUntilUnbound() throws Exception {
        control.bind("ep1", "quiet");
        CountDownLatch release = holdTheThread();
        for (int i = 0; i < 50; i++) control.post("crowd", () -> ran.add("crowd"));
        control.postForEndpoint("ep1", () -> ran.add("ep1"));
        release.countDown();
        awaitIdle();
        assertThat(ran.indexOf("ep1")).isEqualTo(1);

        control.call(() -> {
            control.unbind("ep1");
            return null;
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // Gone: its late events still run (and find no endpoint), under the node's key.
        CompletableFuture<String> late = control.callForEndpoint("ep1", () -> "ran").toCompletableFuture();
        assertThat(late.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheThread() throws Exception {
        control.post("a", () -> {
            throw new IllegalStateException("bug in one event");
        });
        CompletableFuture<Object> failing = control.call("a", () -> {
            throw new SfuException(FailureReason.BAD_SDP, "bad offer");
        }).toCompletableFuture();
        CompletableFuture<Integer> next = control.call("a", () -> 42).toCompletableFuture();

        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(failing).isCompletedExceptionally();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, failing::get);
        assertThat(((SfuException) e.getCause()).reason()).isEqualTo(FailureReason.BAD_SDP);
    }

    @Test
    void afterShutdownPostsAreDroppedAndCallsFail() throws Exception {
        control.shutdown();

        control.post("a", () -> ran.add("late event")); // no exception
        control.postForEndpoint("ep", () -> ran.add("late endpoint event"));
        CompletableFuture<Integer> call = control.call("a", () -> 1).toCompletableFuture();

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> call.get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(SfuException.class).hasMessageContaining("shutting down");
        assertThat(((SfuException) e.getCause()).reason()).isEqualTo(FailureReason.INTERNAL);
        assertThat(ran).isEmpty();
    }

    /** Blocks the control thread in a task of its own key until the returned latch is released. */
    private CountDownLatch holdTheThread() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        control.post("gate", () -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    /** Waits until everything queued so far ran: a call queued after it, in each key used, completed. */
    private void awaitIdle() throws Exception {
        for (String key : List.of("a", "b", "crowd", "other", "quiet")) {
            control.call(key, () -> null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        control.call(() -> null).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
