package org.conclave.tests.reliability;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.conclave.bench.client.MediaSection;
import org.conclave.bench.client.RemoteDescription;
import org.conclave.tests.reliability.FirstPackets.Slot;

/**
 * The soak's check that visitors and stayers hear each other. Every churner call (a visit) must be decrypted by every
 * stayer of its room (the load's participants: the visitor's audio and the video the SFU forwards them) and must
 * itself decrypt every stayer (audio and each video it is offered), within {@link #BOUND_MS} of the visitor's media
 * starting. A server that stops forwarding to a long-lived receiver after enough visitors (as when its SRTP contexts
 * were never forgotten and the 129th visitor found the table full) fails it, naming room, visitor and stayer.
 *
 * <p>Stayers' slots are {@link FirstPackets} of their receive loops, visitors' those of their {@code JavaPeer}; both
 * are registered from the SDP offers the SFU sends (the SSRC it chose for each source) before the answer, so no
 * first packet is missed.
 */
final class Visits {
    /**
     * How long after the visitor's media starts every first packet must have been decrypted. Typically about a second,
     * but 5.6 s at worst in a 3-minute run on this 2-core machine at a load average of 30 (docs/reliability.md,
     * "Soak"): the stayers hear of a visitor through re-offers over Matrix. A receiver the SFU stopped serving never
     * decrypts anything, so a generous bound loses nothing.
     */
    static final long BOUND_MS = Long.getLong("soak.visit_bound_ms", 10_000);
    /** After a miss, how much longer the check watches, to tell a late first packet from none in its message. */
    static final long LATE_MS = 20_000;
    static final int MAX_REPORTED = 20;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One churner call. Slot keys: "kind ssrc" (stayer side), "track ssrc" (visitor side). */
    static final class Visit {
        final String streamId;
        final String room;
        final String churner;
        final List<String> stayers;
        volatile int number;
        volatile long mediaStartNanos;
        /** Stayer name -> what that stayer's receiver watches of this visitor. */
        final Map<String, Map<String, Slot>> byStayer = new ConcurrentHashMap<>();
        /** Stayer name -> what this visitor watches of that stayer. */
        final Map<String, Map<String, Slot>> ofStayer = new ConcurrentHashMap<>();

        Visit(String streamId, String room, String churner, List<String> stayers) {
            this.streamId = streamId;
            this.room = room;
            this.churner = churner;
            this.stayers = stayers;
        }
    }

    /** A line on which the SFU sends a source: its sender's stream and track, the primary SSRC and all SSRCs. */
    record Line(String kind, String streamId, String trackId, int ssrc, Set<Integer> ssrcs) {}

    private final Map<String, String> roomNames;
    private final Map<String, List<String>> stayers;
    private final Map<String, Visit> open = new ConcurrentHashMap<>();
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong notDecoded = new AtomicLong();
    private final AtomicLong notDecoding = new AtomicLong();
    /** Per checked visit, the latest first packet after its media started: stayers receiving it, it receiving them. */
    private final List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>());
    private final List<String> misses = new ArrayList<>();

    /**
     * @param roomNames Matrix room id -> the benchmark's room name
     * @param stayers the benchmark's room name -> names of its load participants (their stream ids)
     */
    Visits(Map<String, String> roomNames, Map<String, List<String>> stayers) {
        this.roomNames = Map.copyOf(roomNames);
        this.stayers = Map.copyOf(stayers);
    }

    /** A churner is about to call into {@code matrixRoom} with a peer whose stream id is {@code streamId}. */
    Visit begin(String streamId, String matrixRoom, String churner) {
        String room = roomNames.get(matrixRoom);
        Visit v = new Visit(streamId, room, churner, stayers.getOrDefault(room, List.of()));
        open.put(streamId, v);
        return v;
    }

    /** A stayer's receiver started watching a visitor's source (ignored once that visit is checked). */
    void stayerWatches(String streamId, String stayer, String kind, Slot slot) {
        Visit v = open.get(streamId);
        if (v == null) return;
        v.byStayer.computeIfAbsent(stayer, s -> new ConcurrentHashMap<>()).put(kind + " " + slot.ssrc, slot);
    }

    /** An offer to the visitor: it watches the stayers' sources on it. Call before answering it. */
    void visitorOffer(Visit v, String sdp, FirstPackets first) {
        for (Line l : sendingLines(RemoteDescription.parse(sdp))) {
            if (!v.stayers.contains(l.streamId())) continue;
            v.ofStayer.computeIfAbsent(l.streamId(), s -> new ConcurrentHashMap<>())
                    .putIfAbsent(l.trackId() + " " + l.ssrc(), first.watch(l.ssrc()));
        }
    }

    /** The visitor's media started now; {@code number} is its join's number over the run. */
    void mediaStarted(Visit v, int number) {
        v.number = number;
        v.mediaStartNanos = System.nanoTime();
    }

    /** The call did not come up: not a visit to check. */
    void abandon(Visit v) {
        open.remove(v.streamId);
    }

    /**
     * Waits until every stayer decrypted the visitor and the visitor every stayer, or until {@link #BOUND_MS} after
     * its media started; counts the visit and records what was missed.
     */
    void check(Visit v) {
        List<String> missing = await(v, BOUND_MS);
        if (!missing.isEmpty()) {
            if (missing.stream().anyMatch(m -> m.startsWith("not decoded"))) notDecoded.incrementAndGet();
            if (missing.stream().anyMatch(m -> m.startsWith("decodes"))) notDecoding.incrementAndGet();
            List<String> after = await(v, BOUND_MS + LATE_MS);
            long later = BOUND_MS + LATE_MS;
            String late = after.isEmpty() ? "all came by " + later + " ms"
                    : after.equals(missing) ? "still nothing of these by " + later + " ms"
                    : "by " + later + " ms still missing: " + after;
            synchronized (misses) {
                if (misses.size() < MAX_REPORTED) {
                    misses.add(String.format(Locale.ROOT, "%s: visitor #%d (%s, %s) within %d ms: %s (%s)", v.room,
                            v.number, v.churner, v.streamId, BOUND_MS, missing, late));
                }
            }
        }
        open.remove(v.streamId);
        checked.incrementAndGet();
        synchronized (times) {
            times.get(0).add(worst(v, v.byStayer));
            times.get(1).add(worst(v, v.ofStayer));
        }
    }

    /** Polls until nothing is missing or {@code ms} after the visitor's media started; returns what is missing. */
    private static List<String> await(Visit v, long ms) {
        long deadline = v.mediaStartNanos + TimeUnit.MILLISECONDS.toNanos(ms);
        List<String> missing;
        while (!(missing = missing(v)).isEmpty() && System.nanoTime() - deadline < 0) LockSupport.parkNanos(POLL_NANOS);
        return missing;
    }

    /** What is still missing, e.g. "not decoded by p2 (audio, video)", "decodes nothing of p3 (t7)". */
    private static List<String> missing(Visit v) {
        List<String> out = new ArrayList<>();
        for (String stayer : v.stayers) {
            Map<String, Slot> by = v.byStayer.getOrDefault(stayer, Map.of());
            List<String> kinds = new ArrayList<>();
            for (String kind : List.of("audio", "video")) {
                if (by.entrySet().stream().noneMatch(e -> e.getKey().startsWith(kind + " ") && e.getValue().seen())) {
                    kinds.add(kind);
                }
            }
            if (by.isEmpty()) kinds.add("never offered");
            if (!kinds.isEmpty()) out.add("not decoded by " + stayer + " (" + String.join(", ", kinds) + ")");
            Map<String, Slot> of = v.ofStayer.getOrDefault(stayer, Map.of());
            List<String> tracks = new ArrayList<>();
            if (of.isEmpty()) tracks.add("never offered");
            of.forEach((track, slot) -> {
                if (!slot.seen()) tracks.add(track.split(" ")[0]);
            });
            if (!tracks.isEmpty()) out.add("decodes nothing of " + stayer + " (" + String.join(", ", tracks) + ")");
        }
        return out;
    }

    /** The latest first packet among these slots, after the visitor's media started (0 if before). */
    private static long worst(Visit v, Map<String, Map<String, Slot>> slots) {
        long worst = 0;
        for (Map<String, Slot> m : slots.values()) {
            for (Slot s : m.values()) {
                long t = s.firstNanos;
                if (t != FirstPackets.NOT_YET) worst = Math.max(worst, t - v.mediaStartNanos);
            }
        }
        return worst;
    }

    /** The lines on which an offer's sender (the SFU) sends, with their sender's stream id and SSRCs. */
    static List<Line> sendingLines(RemoteDescription offer) {
        List<Line> out = new ArrayList<>();
        for (MediaSection s : offer.sections()) {
            if (!s.remoteSends() || s.trackId() == null) continue;
            String stream = null;
            int primary = 0;
            boolean grouped = false;
            Set<Integer> ssrcs = new LinkedHashSet<>();
            for (String l : s.lines()) {
                if (l.startsWith("a=msid:")) stream = l.substring(7).split(" ")[0];
                else if (l.startsWith("a=ssrc-group:FID ")) {
                    primary = (int) Long.parseLong(l.split(" ")[1]);
                    grouped = true;
                } else if (l.startsWith("a=ssrc:")) {
                    ssrcs.add((int) Long.parseLong(l.substring(7, l.indexOf(' '))));
                }
            }
            if (stream == null || ssrcs.isEmpty()) continue;
            out.add(new Line(s.kind(), stream, s.trackId(), grouped ? primary : ssrcs.iterator().next(), ssrcs));
        }
        return out;
    }

    long checked() {
        return checked.get();
    }

    List<String> misses() {
        synchronized (misses) {
            return List.copyOf(misses);
        }
    }

    @Override
    public String toString() {
        synchronized (times) {
            return String.format(Locale.ROOT, "%d visitors checked; %d not decoded by some stayer, %d not decoding some"
                    + " stayer within %d ms of their media starting; time to the last first decrypted packet (median,"
                    + " 95th percentile, worst): %s (stayers receiving a visitor), %s (a visitor receiving the"
                    + " stayers)", checked.get(), notDecoded.get(), notDecoding.get(), BOUND_MS,
                    percentiles(times.get(0)), percentiles(times.get(1)));
        }
    }

    private static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) return "none";
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.95) - 1)) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6);
    }
}
