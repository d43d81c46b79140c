package org.conclave.tests.client;

import org.conclave.sfu.rtcp.TransportCcWriter;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link JavaPeer} receiver saw, per SSRC (layers from the payload tags, bytes, frames, complete frames,
 * retransmissions) and what it owes the SFU: generic NACKs for sequence gaps and transport-wide feedback for
 * transport sequence numbers. Written by the receive thread, read by the feedback timer and the test: one monitor.
 */
public final class ReceiverLedger {
    /** A gap is NACKed at most this often ... */
    static final long NACK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** ... this many times ... */
    static final int NACK_TRIES = 5;
    /** ... and forgotten after this long. */
    static final long NACK_GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Gaps wider than this are a restart (new layer, SFU rewrite), not loss. */
    static final int MAX_GAP = 500;

    /** A snapshot of one received stream (the SFU's SSRC towards us). */
    public record StreamCounts(int ssrc, long packets, long bytes, Set<Integer> layers, Set<Integer> windowLayers,
            int lastLayer, long frames, long completeFrames, long keyFrames, long retransmissions, long repaired,
            long nacked) {}

    private static final class Stream {
        final int ssrc;
        long packets;
        long bytes;
        final Set<Integer> layers = new TreeSet<>();
        final Set<Integer> windowLayers = new TreeSet<>();
        int lastLayer = -1;
        final Map<Long, BitSet> frames = new HashMap<>();
        final Set<Long> complete = new java.util.HashSet<>();
        long keyFrames;
        int highest = -1;
        /** Missing sequence -> {first missed at, last NACKed at, tries}. */
        final TreeMap<Integer, long[]> missing = new TreeMap<>();
        long retransmissions;
        long repaired;
        long nacked;

        Stream(int ssrc) {
            this.ssrc = ssrc;
        }
    }

    private final Map<Integer, Stream> streams = new LinkedHashMap<>();
    private final TreeMap<Long, Long> arrivals = new TreeMap<>();
    private long lastTransportSeq = -1;
    private long nextToReport = -1;
    private int feedbackCount;
    private long transportFeedbacks;
    private final long epochNanos = System.nanoTime();

    /** One media packet (after RTX unwrapping: {@code retransmission} says it came as RTX or repeated a sequence). */
    public synchronized void onMedia(int ssrc, int sequence, byte[] b, int off, int len, boolean rtx, long nowNanos) {
        Stream s = streams.computeIfAbsent(ssrc, Stream::new);
        boolean retransmission = rtx;
        if (s.highest < 0) {
            s.highest = sequence;
        } else {
            int ahead = (sequence - s.highest) & 0xFFFF;
            if (ahead > 0 && ahead < 0x8000) {
                if (ahead <= MAX_GAP) {
                    for (int i = 1; i < ahead; i++) s.missing.put((s.highest + i) & 0xFFFF, new long[] {nowNanos, 0, 0});
                }
                s.highest = sequence;
            } else {
                long[] miss = s.missing.remove(sequence);
                if (miss != null && miss[2] > 0) s.repaired++;
                if (miss == null) retransmission = true; // a repeat of something we had
            }
        }
        if (retransmission) s.retransmissions++;
        s.packets++;
        s.bytes += len;
        Vp8Frames.Tag tag = Vp8Frames.read(b, off, len);
        if (tag == null) return;
        s.layers.add(tag.layer());
        s.windowLayers.add(tag.layer());
        s.lastLayer = tag.layer();
        long key = ((long) tag.layer() << 32) | (tag.frame() & 0xFFFFFFFFL);
        BitSet got = s.frames.computeIfAbsent(key, k -> new BitSet());
        got.set(tag.index());
        if (tag.keyFrame()) s.keyFrames++;
        if (got.cardinality() == tag.count()) s.complete.add(key);
    }

    /** A transport-wide sequence number arrived at {@code nowNanos}. */
    public synchronized void onTransportSequence(int sequence, long nowNanos) {
        long extended;
        if (lastTransportSeq < 0) {
            extended = sequence;
        } else {
            int diff = (short) (sequence - (int) (lastTransportSeq & 0xFFFF));
            extended = lastTransportSeq + diff;
        }
        if (extended > lastTransportSeq) lastTransportSeq = extended;
        if (nextToReport < 0) nextToReport = extended;
        if (extended < nextToReport) return; // already reported as lost; too late
        arrivals.put(extended, TimeUnit.NANOSECONDS.toMicros(nowNanos - epochNanos));
    }

    /**
     * Writes one transport-cc feedback for what arrived since the last one into {@code buf}; 0 when there is nothing
     * to report.
     */
    public synchronized int writeTransportFeedback(byte[] buf, int off, int senderSsrc) {
        if (arrivals.isEmpty()) return 0;
        long base = nextToReport;
        long last = arrivals.lastKey();
        int count = (int) Math.min(last - base + 1, 0xFFFF);
        long[] times = new long[count];
        java.util.Arrays.fill(times, -1);
        for (Map.Entry<Long, Long> e : arrivals.headMap(base + count).entrySet()) {
            times[(int) (e.getKey() - base)] = e.getValue();
        }
        int mediaSsrc = streams.isEmpty() ? 0 : streams.keySet().iterator().next();
        int n = TransportCcWriter.write(buf, off, senderSsrc, mediaSsrc, (int) (base & 0xFFFF), times, count,
                feedbackCount & 0xFF);
        if (n < 0) {
            // Too long a span for one feedback: skip ahead rather than stall.
            arrivals.clear();
            nextToReport = last + 1;
            return 0;
        }
        feedbackCount++;
        transportFeedbacks++;
        arrivals.headMap(base + count).clear();
        nextToReport = base + count;
        return n;
    }

    /** The sequences of {@code ssrc} to NACK now (each retried every 100 ms, up to 5 times); marks them sent. */
    public synchronized Map<Integer, int[]> dueNacks(long nowNanos) {
        Map<Integer, int[]> out = new LinkedHashMap<>();
        for (Stream s : streams.values()) {
            List<Integer> due = new ArrayList<>();
            for (Iterator<Map.Entry<Integer, long[]>> it = s.missing.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Integer, long[]> e = it.next();
                long[] m = e.getValue();
                if (nowNanos - m[0] > NACK_GIVE_UP_NANOS || m[2] >= NACK_TRIES) {
                    it.remove();
                    continue;
                }
                if (m[2] == 0 || nowNanos - m[1] >= NACK_RETRY_NANOS) {
                    m[1] = nowNanos;
                    m[2]++;
                    due.add(e.getKey());
                }
            }
            if (!due.isEmpty()) {
                s.nacked += due.size();
                // GenericNack wants them in wrap-aware order from the oldest.
                due.sort((a, b) -> (short) (a - s.highest) - (short) (b - s.highest));
                out.put(s.ssrc, due.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out;
    }

    public synchronized List<StreamCounts> streams() {
        List<StreamCounts> out = new ArrayList<>();
        for (Stream s : streams.values()) {
            out.add(new StreamCounts(s.ssrc, s.packets, s.bytes, Set.copyOf(s.layers), Set.copyOf(s.windowLayers),
                    s.lastLayer, s.frames.size(),
                    s.complete.size(), s.keyFrames, s.retransmissions, s.repaired, s.nacked));
        }
        return out;
    }

    /** Starts a new window for {@link StreamCounts#windowLayers} (the layers seen since). */
    public synchronized void resetWindow() {
        for (Stream s : streams.values()) s.windowLayers.clear();
    }

    /** Transport-cc feedback packets written so far. */
    public synchronized long transportFeedbacks() {
        return transportFeedbacks;
    }
}
