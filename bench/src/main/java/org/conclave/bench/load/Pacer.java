package org.conclave.bench.load;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.conclave.sfu.rtp.RtpPacket;

/**
 * A send thread shared by many tracks: sends each track's packets when they are due, stamping every probe with the
 * time just before encryption. All tracks of one transport live on one pacer (SRTP send state is single-threaded).
 * Allocates nothing per packet.
 */
public final class Pacer implements AutoCloseable {
    /** Longest sleep, so new tracks and handover requests are noticed quickly. */
    static final long MAX_PARK_NANOS = 2_000_000;
    /** A track this far behind skips ahead instead of bursting to catch up (the generator was starved). */
    static final long RESYNC_NANOS = 200_000_000;
    static final int BUFFER_SIZE = 2048;

    private final Thread thread;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private final ByteBuffer bb = ByteBuffer.wrap(buf);
    private final Generator.SpanSource spans;
    private final long[] sent;
    private long sentBytes;
    private long sendDrops;
    private long lateTicks;
    private volatile OutgoingTrack[] tracks = new OutgoingTrack[0];
    final Handover handover = new Handover();
    Measured handoverInto;
    private volatile boolean running = true;

    Pacer(int index, int trackCount, Generator.SpanSource spans) {
        this.spans = spans;
        this.sent = new long[trackCount];
        thread = new Thread(this::loop, "bench-pacer-" + index);
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** Adds a track (inactive until {@link OutgoingTrack#active} is set). Control threads only, one at a time. */
    synchronized void add(OutgoingTrack t) {
        OutgoingTrack[] next = java.util.Arrays.copyOf(tracks, tracks.length + 1);
        next[next.length - 1] = t;
        tracks = next;
    }

    private void loop() {
        while (running) {
            long now = System.nanoTime();
            long wake = now + MAX_PARK_NANOS;
            for (OutgoingTrack t : tracks) {
                if (!t.active) continue;
                if (now - t.dueNanos >= 0) {
                    tick(t, now);
                }
                if (t.dueNanos - wake < 0) wake = t.dueNanos;
            }
            if (handover.pending()) handOver();
            long sleep = wake - System.nanoTime();
            if (sleep > 0) LockSupport.parkNanos(sleep);
        }
    }

    private void tick(OutgoingTrack t, long now) {
        long behind = now - t.dueNanos;
        if (behind > t.intervalNanos) lateTicks++;
        if (behind > RESYNC_NANOS) t.dueNanos = now;
        Span span = spans.span();
        // One counter per client across its tracks, as the SFU's E2EE check expects.
        long frameCounter = t.transport.nextSframeCounter();
        for (int p = 0; p < t.packetsPerTick; p++) {
            int payload = t.payloadBytes(p);
            buf[0] = (byte) 0x80;
            buf[1] = (byte) ((p == t.packetsPerTick - 1 ? 0x80 : 0) | t.payloadType);
            RtpPacket.setSequence(buf, 0, t.rtpSequence);
            RtpPacket.setTimestamp(buf, 0, t.rtpTimestamp);
            RtpPacket.setSsrc(buf, 0, t.ssrc);
            t.rtpSequence = (t.rtpSequence + 1) & 0xFFFF;
            int at = RtpPacket.FIXED_HEADER_LENGTH;
            int probe = t.frameBytes == 0 ? FramePayload.opus(buf, at, frameCounter)
                    : p == 0 ? FramePayload.vp8FrameStart(buf, at, frameCounter) : FramePayload.vp8Continuation(buf, at);
            long sentAt = System.nanoTime();
            ProbePayload.write(buf, probe, t.track.index(), t.sequence++, sentAt);
            int n = t.transport.protect(buf, RtpPacket.FIXED_HEADER_LENGTH + payload);
            if (n < 0) {
                sendDrops++;
                continue;
            }
            bb.clear();
            bb.limit(n);
            if (!t.transport.write(bb)) {
                sendDrops++;
            } else if (span.contains(sentAt)) {
                sent[t.track.index()]++;
                sentBytes += n;
            }
        }
        t.rtpTimestamp = (t.rtpTimestamp + t.timestampStep) & 0xFFFFFFFFL;
        t.dueNanos += t.intervalNanos;
    }

    private void handOver() {
        Measured m = handoverInto;
        for (int i = 0; i < sent.length; i++) {
            m.sent[i] += sent[i];
            sent[i] = 0;
        }
        m.sentBytes += sentBytes;
        m.sendDrops += sendDrops;
        m.lateTicks += lateTicks;
        sentBytes = 0;
        sendDrops = 0;
        lateTicks = 0;
        handover.complete();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
