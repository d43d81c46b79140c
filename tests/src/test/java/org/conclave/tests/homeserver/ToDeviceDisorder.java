package org.conclave.tests.homeserver;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * To-device messages for the appservice delivered out of order and twice, as homeservers do: to-device messages
 * reach a homeserver over federation as EDUs, which a remote server retries (a lost acknowledgement: the message
 * twice) and sends over several connections (a later message first); MSC3401 numbers call messages ({@code seq}) for
 * that reason. Off by default; a test turns it on for the messages it names. Between the double's to-device inbox and
 * the {@link AppservicePusher}:
 * <ul>
 * <li><b>swap</b>: of two consecutive matching messages, the second goes first; a message with no successor within
 *     {@link #HOLD} goes alone.</li>
 * <li><b>repeat</b>: every matching message goes again after the next matching one (or after {@link #HOLD}), so the
 *     copy is both a duplicate and late.</li>
 * </ul>
 * Thread-safe; what it did is counted.
 */
public final class ToDeviceDisorder {
    /** How long a held message waits for a successor before it goes anyway. */
    public static final Duration HOLD = Duration.ofMillis(300);

    private final Vertx vertx;
    private final Consumer<JsonObject> out;
    // Guarded by this.
    private Predicate<JsonObject> match = m -> false;
    private boolean swap;
    private boolean repeat;
    private JsonObject held;
    private final List<JsonObject> repeats = new ArrayList<>();
    private long timer = -1;
    private int swapped;
    private int repeated;

    ToDeviceDisorder(Vertx vertx, Consumer<JsonObject> out) {
        this.vertx = vertx;
        this.out = out;
    }

    /** Disorders the messages matching ({@code type, sender, content, to_user_id, to_device_id}). */
    public synchronized void apply(Predicate<JsonObject> messages, boolean swapPairs, boolean repeatEach) {
        this.match = messages;
        this.swap = swapPairs;
        this.repeat = repeatEach;
    }

    /** Pairs delivered second first so far. */
    public synchronized int swapped() {
        return swapped;
    }

    /** Messages delivered a second time so far. */
    public synchronized int repeated() {
        return repeated;
    }

    /** A message for the appservice, on its way to the pusher. */
    void deliver(JsonObject message) {
        List<JsonObject> now = new ArrayList<>();
        synchronized (this) {
            if (!match.test(message)) {
                now.add(message);
            } else if (swap && held == null) {
                held = message;
                armTimer();
            } else {
                List<JsonObject> fresh = new ArrayList<>(List.of(message));
                if (held != null) {
                    fresh.add(held);
                    held = null;
                    swapped++;
                }
                now.addAll(release(fresh));
            }
        }
        now.forEach(out);
    }

    /** Fresh messages, then the copies of earlier ones; copies of the fresh ones wait for the next (or the timer). */
    private List<JsonObject> release(List<JsonObject> fresh) {
        List<JsonObject> now = new ArrayList<>(fresh);
        now.addAll(repeats);
        repeated += repeats.size();
        repeats.clear();
        if (repeat) fresh.forEach(m -> repeats.add(m.copy()));
        if (!repeats.isEmpty()) armTimer();
        return now;
    }

    private void armTimer() {
        if (timer >= 0) vertx.cancelTimer(timer);
        timer = vertx.setTimer(HOLD.toMillis(), t -> flush());
    }

    /** Nothing followed in time: what waits goes now. */
    private void flush() {
        List<JsonObject> now;
        synchronized (this) {
            timer = -1;
            List<JsonObject> fresh = new ArrayList<>();
            if (held != null) fresh.add(held);
            held = null;
            now = release(fresh);
        }
        now.forEach(out);
    }
}
