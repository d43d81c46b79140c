package org.conclave.tests.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A microphone stand-in on a {@link JavaPeer}: one tagged Opus-like packet every 20 ms carrying the peer's current
 * {@link JavaPeer#audioLevel} (set it at any time). Runs on its own thread until {@link #close}.
 */
public final class AudioSender implements AutoCloseable {
    public static final long PACKET_INTERVAL_MS = 20;
    private static final int SAMPLES_PER_PACKET = 960; // 20 ms at 48 kHz
    private static final int PAYLOAD_BYTES = 60;

    private final JavaPeer peer;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean closed;

    public AudioSender(JavaPeer peer) {
        this.peer = peer;
        this.thread = new Thread(this::run, "audio-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Packets sent so far. */
    public long sent() {
        return sent.get();
    }

    private void run() {
        int sequence = 0;
        long timestamp = 0;
        long next = System.nanoTime();
        while (!closed) {
            peer.sendAudio(sequence++ & 0xFFFF, timestamp & 0xFFFFFFFFL, PAYLOAD_BYTES);
            sent.incrementAndGet();
            timestamp += SAMPLES_PER_PACKET;
            next += TimeUnit.MILLISECONDS.toNanos(PACKET_INTERVAL_MS);
            long wait = next - System.nanoTime();
            try {
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait); // pacing of the audio clock, not a correctness wait
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
