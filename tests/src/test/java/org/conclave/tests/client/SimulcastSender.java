package org.conclave.tests.client;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A camera stand-in on a simulcast {@link JavaPeer}: for each layer, frames at its frame rate and bit rate, cut into
 * VP8 packets ({@link Vp8Frames}); a key frame on that layer's PLI/FIR, at the start and every key-frame interval.
 * With {@link #obeyRateRequests} the last REMB/TMMBR that names its SSRC (or none) caps the whole sender, as Chrome
 * applies it: the top layer gets the request minus the lower layers' rates.
 * Runs on its own thread until {@link #close}.
 */
public final class SimulcastSender implements AutoCloseable {
    public static final int MAX_PAYLOAD = 1100;
    public static final long DEFAULT_KEY_FRAME_INTERVAL_MS = 5_000;
    private static final int VIDEO_CLOCK = 90_000;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Key frames are this much larger than delta frames, like a real encoder's. */
    private static final int KEY_FRAME_FACTOR = 2;

    /** One simulcast layer: its rid, the id written in payloads, rate, frame rate and nominal size. */
    public record Layer(String rid, int id, long bitrateBps, int fps, int width, int height) {}

    private final JavaPeer peer;
    private final List<Layer> layers;
    private final long keyFrameIntervalNanos;
    private final boolean obeyRateRequests;
    /** Chrome never starves its top layer completely while it is enabled. */
    private static final long MIN_TOP_RATE_BPS = 50_000;
    private final Thread thread;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong keyFramesSent = new AtomicLong();
    private volatile long topLayerRateBps;
    private volatile boolean closed;

    public SimulcastSender(JavaPeer peer, List<Layer> lowToHigh, long keyFrameIntervalMs, boolean obeyRateRequests) {
        this.peer = peer;
        this.layers = List.copyOf(lowToHigh);
        this.keyFrameIntervalNanos = TimeUnit.MILLISECONDS.toNanos(keyFrameIntervalMs);
        this.obeyRateRequests = obeyRateRequests;
        this.topLayerRateBps = layers.get(layers.size() - 1).bitrateBps();
        this.thread = new Thread(this::run, "simulcast-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** The rate the top layer is sent at now (its configured rate, or less when a rate request capped it). */
    public long topLayerRateBps() {
        return topLayerRateBps;
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long keyFramesSent() {
        return keyFramesSent.get();
    }

    private void run() {
        int n = layers.size();
        int[] sequence = new int[n];
        long[] timestamp = new long[n];
        int[] frame = new int[n];
        int[] pictureId = new int[n];
        long[] nextFrame = new long[n];
        long[] lastKey = new long[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            nextFrame[i] = start;
            lastKey[i] = Long.MIN_VALUE / 2;
            timestamp[i] = i * 1000L;
        }
        byte[] packet = new byte[MAX_PAYLOAD + 64];
        while (!closed) {
            long now = System.nanoTime();
            for (int i = 0; i < n && !closed; i++) {
                if (now - nextFrame[i] < 0) continue;
                Layer layer = layers.get(i);
                int ssrc = peer.ridSsrc(layer.rid());
                boolean key = peer.keyFramesWanted.remove(ssrc) || now - lastKey[i] >= keyFrameIntervalNanos;
                if (key) lastKey[i] = now;
                long rate = i == n - 1 ? topRate(layer, ssrc) : layer.bitrateBps();
                int size = (int) Math.max(Vp8Frames.MIN_FIRST_PACKET, rate / layer.fps() / 8) * (key ? KEY_FRAME_FACTOR : 1);
                int count = (size + MAX_PAYLOAD - 1) / MAX_PAYLOAD;
                for (int p = 0; p < count && !closed; p++) {
                    int bytes = Math.min(MAX_PAYLOAD, size - p * MAX_PAYLOAD);
                    int len = Vp8Frames.write(packet, 0, bytes, layer.id(), frame[i], pictureId[i], p, count, key,
                            layer.width(), layer.height());
                    peer.sendVideo(layer.rid(), sequence[i]++ & 0xFFFF, timestamp[i] & 0xFFFFFFFFL, p == count - 1,
                            packet, len);
                }
                frame[i]++;
                pictureId[i] = (pictureId[i] + 1) & 0x7FFF;
                timestamp[i] += VIDEO_CLOCK / layer.fps();
                nextFrame[i] += TimeUnit.SECONDS.toNanos(1) / layer.fps();
                framesSent.incrementAndGet();
                if (key) keyFramesSent.incrementAndGet();
            }
            try {
                TimeUnit.NANOSECONDS.sleep(TICK_NANOS); // pacing of a frame clock, not a correctness wait
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long topRate(Layer layer, int ssrc) {
        long rate = layer.bitrateBps();
        if (obeyRateRequests) {
            List<JavaPeer.RateRequest> requests = peer.rateRequests();
            for (int i = requests.size() - 1; i >= 0; i--) {
                JavaPeer.RateRequest r = requests.get(i);
                if (r.ssrcs().isEmpty() || r.ssrcs().contains(ssrc)) {
                    // Like Chrome: REMB caps the whole uplink, so the top layer gets what the lower ones leave.
                    long lower = 0;
                    for (int l = 0; l < layers.size() - 1; l++) lower += layers.get(l).bitrateBps();
                    rate = Math.min(rate, Math.max(MIN_TOP_RATE_BPS, r.bitrateBps() - lower));
                    break;
                }
            }
        }
        topLayerRateBps = rate;
        return rate;
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
