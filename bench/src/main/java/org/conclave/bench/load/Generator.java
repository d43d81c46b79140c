package org.conclave.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.client.LocalDescriptions;
import org.conclave.bench.client.RemoteDescription;
import org.conclave.bench.scenario.Track;
import org.conclave.sfu.dtls.DtlsSettings;

/**
 * The load generator: transports, the shared receive loops and pacers, and the measurement window. Targets create
 * and connect transports through it; the runner opens windows and collects what was counted.
 */
public final class Generator implements AutoCloseable {
    /** RFC 7675 asks for a consent check at least every 5 s on average; servers expire consent after ~30 s. */
    static final long CONSENT_INTERVAL_MS = 5_000;
    /** How long the runner waits for a busy worker thread to hand its counters over. */
    static final long HANDOVER_TIMEOUT_MS = 5_000;

    /** The current window, read per packet by pacers and receive loops. */
    public interface SpanSource {
        Span span();
    }

    private final InetAddress localAddress;
    private final MediaProfile profile;
    private final DtlsSettings dtlsSettings;
    private final int trackCount;
    private final RxLoop[] loops;
    private final Pacer[] pacers;
    private final ExecutorService dtlsThreads;
    private final ScheduledExecutorService timers;
    private final SecureRandom random = new SecureRandom();
    private final OutgoingTrack[] outgoing;
    private final List<BenchTransport> transports = new CopyOnWriteArrayList<>();
    private final Map<BenchTransport, Integer> workerOf = new ConcurrentHashMap<>();
    private final AtomicInteger nextWorker = new AtomicInteger();
    private volatile Span span = Span.CLOSED;

    public Generator(InetAddress localAddress, MediaProfile profile, DtlsSettings dtlsSettings, int trackCount,
            int receiveThreads, int pacerThreads) throws IOException {
        this.localAddress = localAddress;
        this.profile = profile;
        this.dtlsSettings = dtlsSettings;
        this.trackCount = trackCount;
        this.outgoing = new OutgoingTrack[trackCount];
        SpanSource spans = () -> span;
        loops = new RxLoop[receiveThreads];
        for (int i = 0; i < receiveThreads; i++) loops[i] = new RxLoop(i, trackCount, spans);
        pacers = new Pacer[pacerThreads];
        for (int i = 0; i < pacerThreads; i++) pacers[i] = new Pacer(i, trackCount, spans);
        AtomicInteger n = new AtomicInteger();
        // A DTLS session keeps its thread for its life (it answers retransmitted flights), hence a cached pool.
        dtlsThreads = Executors.newCachedThreadPool(r -> daemon(r, "bench-dtls-" + n.incrementAndGet()));
        timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bench-consent"));
        timers.scheduleAtFixedRate(() -> transports.forEach(BenchTransport::sendConsent),
                CONSENT_INTERVAL_MS, CONSENT_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public InetAddress localAddress() {
        return localAddress;
    }

    public MediaProfile profile() {
        return profile;
    }

    public int trackCount() {
        return trackCount;
    }

    /** A new client socket on the generator's address; its tracks go to one pacer, its reads to one loop. */
    public BenchTransport newTransport(String label) throws IOException {
        BenchTransport t = new BenchTransport(localAddress, label);
        transports.add(t);
        workerOf.put(t, nextWorker.getAndIncrement());
        return t;
    }

    /** Registers a track this transport will send (inactive until {@link #activate}); returns it with its SSRC. */
    public OutgoingTrack prepare(Track track, BenchTransport t) {
        int ssrc = random.nextInt();
        int pt = track.kind().isAudio() ? LocalDescriptions.OPUS_PT : LocalDescriptions.VP8_PT;
        OutgoingTrack o = new OutgoingTrack(track, t, ssrc, pt, profile, random.nextInt());
        outgoing[track.index()] = o;
        pacers[workerOf.get(t) % pacers.length].add(o);
        return o;
    }

    public OutgoingTrack outgoing(int trackIndex) {
        return outgoing[trackIndex];
    }

    /** Aims {@code t} at the server's candidate, starts reading it, and runs ICE/DTLS to completion. */
    public void connect(BenchTransport t, RemoteDescription server, InetSocketAddress serverAddress, boolean controlling,
            long timeoutMillis) throws Exception {
        t.aim(serverAddress);
        loops[workerOf.get(t) % loops.length].add(t);
        t.connect(server, controlling, dtlsSettings, dtlsThreads, timeoutMillis);
    }

    /** Starts sending these tracks, each at a random phase so frames of different tracks do not line up. */
    public void activate(Iterable<Track> tracks) {
        long now = System.nanoTime();
        for (Track tr : tracks) {
            OutgoingTrack o = outgoing[tr.index()];
            if (o == null || o.active) continue;
            o.dueNanos = now + (long) (random.nextDouble() * o.intervalNanos);
            o.active = true;
        }
    }

    public void open(Span s) {
        span = s;
    }

    public void closeWindow() {
        span = Span.CLOSED;
    }

    /** Takes every worker's counters (sent, received, latency) for the window that just ended. */
    public Measured collect() {
        Measured m = new Measured(trackCount);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANDOVER_TIMEOUT_MS);
        for (Pacer p : pacers) {
            p.handoverInto = m;
            if (!p.handover.request(deadline)) m.missingHandovers++;
        }
        for (RxLoop l : loops) {
            l.handoverInto = m;
            if (!l.handover.request(deadline)) m.missingHandovers++;
        }
        return m;
    }

    public List<BenchTransport> transports() {
        return List.copyOf(transports);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        for (Pacer p : pacers) p.close();
        for (BenchTransport t : transports) t.close();
        for (RxLoop l : loops) l.close();
        dtlsThreads.shutdownNow();
    }
}
