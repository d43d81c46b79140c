package org.conclave.appservice.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts to-device call messages back in their sender's order (MSC3401 {@code seq}, counting from 0 per call): per
 * stream (sender, device, call) a message is handed on only after every lower {@code seq}; later ones wait (at most
 * {@link #MAX_WAITING} per stream); a {@code seq} seen before is a duplicate and dropped. Homeservers deliver
 * to-device messages reliably but not necessarily in order, and may deliver one twice.
 *
 * <p>A gap that is still open when {@link #MAX_WAITING} messages wait behind it is given up: the lowest waiting
 * message goes on (and is logged by the caller). Streams of finished calls are kept, so late duplicates of them are
 * still dropped, until more than {@link #MAX_STREAMS} streams exist (least recently used go first).
 */
final class SeqOrdering<T> {
    static final int MAX_WAITING = 64;
    static final int MAX_STREAMS = 4096;

    private static final class Stream<T> {
        long next;
        final TreeMap<Long, T> waiting = new TreeMap<>();
    }

    /** What {@link #accept} did: the messages to handle now, in order, and whether a gap was given up. */
    record Outcome<T>(List<T> ready, boolean duplicate, boolean gapSkipped) {}

    private final Map<String, Stream<T>> streams = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stream<T>> eldest) {
            return size() > MAX_STREAMS;
        }
    };

    /** @param seq the message's {@code seq}, 0 or more */
    Outcome<T> accept(String stream, long seq, T message) {
        Stream<T> s = streams.computeIfAbsent(stream, k -> new Stream<>());
        if (seq < s.next || s.waiting.containsKey(seq)) return new Outcome<>(List.of(), true, false);
        s.waiting.put(seq, message);
        boolean skipped = false;
        if (s.waiting.size() > MAX_WAITING) {
            s.next = s.waiting.firstKey();
            skipped = true;
        }
        List<T> ready = new ArrayList<>();
        while (!s.waiting.isEmpty() && s.waiting.firstKey() == s.next) {
            ready.add(s.waiting.pollFirstEntry().getValue());
            s.next++;
        }
        return new Outcome<>(ready, false, skipped);
    }
}
