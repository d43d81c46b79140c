package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Batched UDP sends with GSO ({@code sfu.udp_send: gso}): {@link #send} only queues (a copy into a preallocated
 * arena); {@link #flush} sends each receiver's runs of equal-length datagrams (the last may be shorter) as one GSO
 * send each, and a lone datagram plainly, the runs of one length of all receivers together. A datagram of another
 * receiver in between does not break a run: each receiver's order is kept, which is all RTP needs.
 * docs/benchmarks.md ("The kernel path") measured a GSO send of 4-8 datagrams at 0.2-0.56x the CPU per datagram of
 * one send each.
 *
 * <p>The packet thread flushes at the end of each loop turn and before it sleeps ({@link PacketThread}); a full arena
 * flushes too. The queue holds bytes and address objects only, no endpoint state, so an endpoint that leaves between
 * two turns has nothing to clean up. No allocation, no lock: everything is preallocated and the packet thread's own.
 */
final class GsoOut implements UdpOut {
    /**
     * Datagrams one batch holds. A flush in the middle of a turn cuts runs, so the batch must hold a turn's frames:
     * one incoming packet of a webinar of 300 makes 300 datagrams, a video frame of 6 packets 1,800.
     */
    static final int SLOTS = 8192;
    /** Bytes one batch holds, the datagrams back to back (8 MiB: ~6,000 video datagrams). */
    static final int ARENA_BYTES = 8 << 20;
    /** Receivers of one batch: at most SLOTS, so the table stays at most half full. */
    private static final int CAPACITY = 2 * SLOTS;

    private final DatagramChannel channel;
    private final WorkerStats stats;
    private final UdpSegment segment;
    private final byte[] arena = new byte[ARENA_BYTES];
    private final int[] offsets = new int[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final int[] next = new int[SLOTS];
    private int used;
    private int bytes;
    private final InetSocketAddress[] keys = new InetSocketAddress[CAPACITY];
    private final int[] head = new int[CAPACITY];
    private final int[] tail = new int[CAPACITY];
    private final int[] order = new int[SLOTS];
    /** Per receiver slot, its next run: first datagram's length, datagrams, the slot after it (-1: none). */
    private final int[] runSegment = new int[CAPACITY];
    private final int[] runCount = new int[CAPACITY];
    private final int[] runEnd = new int[CAPACITY];
    private int receivers;
    private final ByteBuffer out = ByteBuffer.allocateDirect(SendRuns.MAX_RUN_BYTES);

    GsoOut(DatagramChannel channel, WorkerStats stats) throws IOException {
        this.channel = channel;
        this.stats = stats;
        try {
            this.segment = UdpSegment.of(channel);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new IOException("sfu.udp_send is gso, but UDP GSO cannot be used here (use direct): " + e, e);
        }
    }

    @Override
    public void send(byte[] b, int len, InetSocketAddress to) {
        if (used == SLOTS || bytes + len > ARENA_BYTES) flush();
        int s = used++;
        System.arraycopy(b, 0, arena, bytes, len);
        offsets[s] = bytes;
        lengths[s] = len;
        bytes += len;
        next[s] = -1;
        int i = SendRuns.slot(keys, to);
        if (keys[i] == null) {
            keys[i] = to;
            head[i] = s;
            order[receivers++] = i;
        } else {
            next[tail[i]] = s;
        }
        tail[i] = s;
    }

    /** Datagrams queued and not yet sent. */
    int queued() {
        return used;
    }

    /**
     * Sends the batch. Each receiver's runs leave in its order; across receivers, a run that needs no change of the
     * socket's segment size goes first, so the runs of one length (one frame's copies for every receiver) leave
     * together: the system call that changes the segment size is paid once per length and pass, not per receiver.
     * When no receiver's next run fits the current size, the first waiting receiver's run changes it.
     */
    @Override
    public void flush() {
        if (receivers == 0) return;
        stats.sendTurns++;
        for (int r = 0; r < receivers; r++) nextRun(order[r]);
        int waiting = receivers;
        while (waiting > 0) {
            boolean sent = false;
            for (int r = 0; r < receivers; r++) {
                int i = order[r];
                while (head[i] >= 0 && fits(i)) {
                    sendRun(i);
                    sent = true;
                }
                if (head[i] < 0 && keys[i] != null) {
                    keys[i] = null;
                    waiting--;
                }
            }
            if (!sent && waiting > 0) {
                int r = 0;
                while (head[order[r]] < 0) r++;
                int i = order[r];
                sendRun(i); // changes the segment size
                if (head[i] < 0) {
                    keys[i] = null;
                    waiting--;
                }
            }
        }
        receivers = 0;
        used = 0;
        bytes = 0;
    }

    /** Whether receiver slot {@code i}'s next run can be sent at the socket's current segment size as it is. */
    private boolean fits(int i) {
        int size = segment.size();
        return runCount[i] > 1 ? runSegment[i] == size : size == 0 || runSegment[i] <= size;
    }

    /**
     * Finds receiver slot {@code i}'s next run from {@code head[i]}: equal-length datagrams (the last may be shorter)
     * by {@link SendRuns#joins}, or a lone one.
     */
    private void nextRun(int i) {
        int first = head[i];
        int seg = lengths[first];
        int n = 1;
        int runBytes = seg;
        boolean closed = false;
        int s = next[first];
        while (s >= 0 && SendRuns.joins(n, seg, runBytes, closed, lengths[s])) {
            if (lengths[s] < seg) closed = true; // a shorter datagram can only end a GSO send
            runBytes += lengths[s];
            n++;
            s = next[s];
        }
        runSegment[i] = seg;
        runCount[i] = n;
        runEnd[i] = s;
    }

    /** Sends receiver slot {@code i}'s next run (one GSO send, or a plain one) and finds the run after it. */
    private void sendRun(int i) {
        out.clear();
        int s = head[i];
        for (int k = 0; k < runCount[i]; k++) {
            out.put(arena, offsets[s], lengths[s]);
            s = next[s];
        }
        emit(keys[i], runSegment[i], runCount[i]);
        head[i] = runEnd[i];
        if (head[i] >= 0) nextRun(i);
    }

    /** Sends out[0..position) as {@code n} datagrams of {@code seg} bytes (the last may be shorter). */
    private void emit(InetSocketAddress to, int seg, int n) {
        int size = out.position();
        out.flip();
        SendRuns.count(stats, n);
        try {
            // One datagram must not be split by the segment size a previous run left on the socket.
            int want = n > 1 ? seg : segment.size() != 0 && segment.size() < size ? 0 : segment.size();
            if (want != segment.size()) {
                segment.set(want);
                stats.gsoSegmentSets++;
            }
            if (channel.send(out, to) == 0) {
                stats.sendDrops += n;
            } else {
                stats.datagramsSent += n;
                stats.bytesSent += size;
            }
        } catch (IOException e) {
            if (n == 1) {
                stats.sendErrors++;
            } else {
                oneByOne(to, seg, n, size); // e.g. a route whose MTU is below the segment and the headers
            }
        }
    }

    private void oneByOne(InetSocketAddress to, int seg, int n, int size) {
        stats.gsoFallbacks++;
        try {
            segment.set(0);
        } catch (IOException e) {
            stats.sendErrors += n;
            return;
        }
        for (int k = 0; k < n; k++) {
            int from = k * seg;
            out.limit(Math.min(size, from + seg)).position(from);
            try {
                if (channel.send(out, to) == 0) {
                    stats.sendDrops++;
                } else {
                    stats.datagramsSent++;
                    stats.bytesSent += out.limit() - from;
                }
            } catch (IOException e) {
                stats.sendErrors++;
            }
        }
    }
}
