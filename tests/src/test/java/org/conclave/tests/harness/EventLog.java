package org.conclave.tests.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The append-only event list of one endpoint, numbered from 1. Peers long-poll it over HTTP; tests wait on it
 * directly. Signalling is not the media path, so a plain monitor is fine.
 */
public final class EventLog {
    private final List<SignalEvent> events = new ArrayList<>();
    private boolean shutDown;

    synchronized SignalEvent append(String type, String sdp, String reason, String detail) {
        return add(new SignalEvent(events.size() + 1L, type, sdp, reason, detail));
    }

    synchronized SignalEvent appendLayer(String streamId, String trackId, String quality, String reason) {
        return add(new SignalEvent(events.size() + 1L, SignalEvent.LAYER, null, reason, null, streamId, trackId, quality));
    }

    private SignalEvent add(SignalEvent event) {
        events.add(event);
        notifyAll();
        return event;
    }

    /** Wakes all waiters for good (the server is closing). */
    synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }

    /** All events so far. */
    public synchronized List<SignalEvent> snapshot() {
        return List.copyOf(events);
    }

    /**
     * The events with a sequence number above {@code afterSeq}, waiting up to {@code wait} for the first one;
     * empty when none came in time.
     */
    public synchronized List<SignalEvent> after(long afterSeq, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long from = Math.max(0, afterSeq);
        while (events.size() <= from && !shutDown) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            waitNanos(left);
        }
        return events.size() <= from ? List.of() : List.copyOf(events.subList((int) from, events.size()));
    }

    /** The first event of that type, waiting up to {@code timeout}; empty if none came. */
    public Optional<SignalEvent> await(String type, Duration timeout) throws InterruptedException {
        return await(e -> e.type().equals(type), timeout);
    }

    /** The first event matching, waiting up to {@code timeout}; empty if none came. */
    public synchronized Optional<SignalEvent> await(Predicate<SignalEvent> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < events.size(); checked++) {
                if (match.test(events.get(checked))) return Optional.of(events.get(checked));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || shutDown) return Optional.empty();
            waitNanos(left);
        }
    }

    private void waitNanos(long nanos) throws InterruptedException {
        long millis = Math.max(1, nanos / 1_000_000);
        wait(millis);
    }
}
