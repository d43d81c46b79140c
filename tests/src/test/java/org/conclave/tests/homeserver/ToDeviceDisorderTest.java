package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The double's to-device disorder: which order messages leave in, what goes twice, what a held message waits for. */
class ToDeviceDisorderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx = Vertx.vertx();
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final ToDeviceDisorder disorder = new ToDeviceDisorder(vertx, m -> out.add(m.getString("id")));

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deliver(String... ids) {
        for (String id : ids) {
            disorder.deliver(new JsonObject().put("id", id).put("sender", id.startsWith("b") ? "@bob:x" : "@al:x"));
        }
    }

    private void awaitOut(int n) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (out.size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + out + " within " + TIMEOUT);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void offByDefault() {
        deliver("b0", "b1", "b2");
        assertThat(out).containsExactly("b0", "b1", "b2");
    }

    @Test
    void swapsPairsAndRepeatsEachAfterTheNextOnlyForMatchingMessages() {
        disorder.apply(m -> m.getString("sender").equals("@bob:x"), true, true);
        deliver("b0", "a0", "b1", "b2", "b3");
        assertThat(out).containsExactly("a0", "b1", "b0", "b3", "b2", "b1", "b0");
        awaitOut(9);
        assertThat(out.subList(7, 9)).as("the last copies, after the hold").containsExactly("b3", "b2");
        assertThat(disorder.swapped()).isEqualTo(2);
        assertThat(disorder.repeated()).isEqualTo(4);
    }

    @Test
    void aHeldMessageWithoutSuccessorGoesAfterTheHold() {
        disorder.apply(m -> true, true, false);
        long start = System.nanoTime();
        deliver("b0");
        assertThat(out).isEmpty();
        awaitOut(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ToDeviceDisorder.HOLD);
        assertThat(out).containsExactly("b0");
        assertThat(disorder.swapped()).isZero();
    }
}
