package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.config.IceTcpConfig;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.e2ee.E2eeEndpointStats;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * The media plane as the control side sees it: the packet threads, which endpoint lives on which, and the pipes
 * between them. Every change is queued as a task to the thread that owns the endpoint and applied there between
 * packets, so no media state is shared between threads and the packet path takes no lock. Placement and the other
 * control methods run on the control thread; {@link #sendFromOtherThread} and the statistics may be called anywhere.
 */
public final class MediaWorker implements AutoCloseable {
    /** Messages a pipe between two threads holds (each slot a full datagram): ~40 ms of a 1,000-viewer webinar. */
    static final int PIPE_CAPACITY = 1024;

    /** Events the control side needs; called on a packet thread, implementations must hand off at once. */
    public interface Listener {
        void onIceFailed(String endpointId, FailureReason reason, String detail);

        /** Rate control moved a receiver to the thumbnail of a source, or back ("bandwidth"). */
        default void onLayerChanged(String receiverId, Source source, VideoQuality quality, String reason) {}

        /** Mean RFC 6464 level (0 loudest .. 127 silent) per endpoint that sent audio in the last interval. */
        default void onAudioLevels(Map<String, Integer> levelByEndpoint) {}

        /** The endpoint's media is held as not end-to-end encrypted (once per hold). */
        default void onMediaRefused(String endpointId) {}

        /** The endpoint's media passed probation and is forwarded (also after a hold it renegotiated out of). */
        default void onE2eeTrusted(String endpointId) {}
    }

    private final PacketThread[] threads;
    private final int[] ports;
    private final Placement placement;
    private final Map<String, PacketThread> placed = new ConcurrentHashMap<>();
    /** Removed endpoints whose DTLS may still send its last records (the room's farewell, close_notify). */
    private final Map<String, PacketThread> closing = new ConcurrentHashMap<>();
    /** rings[from][to], made on first use (control thread). */
    private final PipeRing[][] rings;
    private final WorkerStats total;
    /** SFU ufrag (current and pending ones) to endpoint id, for the ICE-TCP listener's hand-over. */
    private final Map<String, String> endpointByUfrag = new ConcurrentHashMap<>();
    private final IceTcpStats tcpStats = new IceTcpStats();
    /** Null without ICE-TCP. */
    private final IceTcpListener tcpListener;

    public MediaWorker(DatagramChannel channel, NanoClock clock, Listener listener) throws IOException {
        this(List.of(channel), clock, listener, RateControlConfig.defaults(), Integer.MAX_VALUE);
    }

    public MediaWorker(DatagramChannel channel, NanoClock clock, Listener listener, RateControlConfig rates)
            throws IOException {
        this(List.of(channel), clock, listener, rates, Integer.MAX_VALUE);
    }

    /**
     * @param channels one socket per packet thread (bound: thread i's endpoints are told thread i's port)
     * @param maxEndpointsPerThread endpoints placed on a thread before a conference spills over to another
     */
    public MediaWorker(List<DatagramChannel> channels, NanoClock clock, Listener listener, RateControlConfig rates,
            int maxEndpointsPerThread) throws IOException {
        this(channels, null, IceTcpConfig.defaults(), clock, listener, rates, maxEndpointsPerThread);
    }

    /**
     * @param tcpServer the bound ICE-TCP socket (its connections are multiplexed by ufrag onto the packet threads), or
     *     null without ICE-TCP
     */
    public MediaWorker(List<DatagramChannel> channels, ServerSocketChannel tcpServer, IceTcpConfig tcp, NanoClock clock,
            Listener listener, RateControlConfig rates, int maxEndpointsPerThread) throws IOException {
        this(channels, tcpServer, tcp, clock, listener, rates, maxEndpointsPerThread, false);
    }

    /** @param gso sfu.udp_send is gso: each packet thread batches its UDP sends per turn and joins runs with GSO */
    public MediaWorker(List<DatagramChannel> channels, ServerSocketChannel tcpServer, IceTcpConfig tcp, NanoClock clock,
            Listener listener, RateControlConfig rates, int maxEndpointsPerThread, boolean gso) throws IOException {
        this.threads = new PacketThread[channels.size()];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new PacketThread(i, channels.get(i), clock, listener, rates, tcpStats, tcp.maxPerEndpoint(), gso);
        }
        this.tcpListener = tcpServer == null ? null
                : new IceTcpListener(tcpServer, clock, tcp, tcpStats, this::threadForUfrag);
        this.ports = new int[threads.length];
        for (int i = 0; i < threads.length; i++) ports[i] = threads[i].localAddress().getPort();
        this.rings = new PipeRing[threads.length][threads.length];
        this.placement = new Placement(threads, maxEndpointsPerThread);
        List<WorkerStats> all = new ArrayList<>();
        for (PacketThread t : threads) all.add(t.stats);
        this.total = WorkerStats.total(all);
    }

    public void start() {
        for (PacketThread t : threads) t.start();
        if (tcpListener != null) tcpListener.start();
    }

    /** ICE-TCP connections accepted and closed, by reason. */
    public IceTcpStats tcpStats() {
        return tcpStats;
    }

    private PacketThread threadForUfrag(String ufrag) {
        String id = endpointByUfrag.get(ufrag);
        return id == null ? null : placed.get(id);
    }

    /** The packet threads' counters, summed. */
    public WorkerStats stats() {
        return total;
    }

    /** Each packet thread's own counters, by thread index. */
    public List<WorkerStats> threadStats() {
        return total.parts();
    }

    public int threadCount() {
        return threads.length;
    }

    // ---------------------------------------------------------------- endpoints

    /**
     * Places an endpoint on a packet thread (its conference's, while that has room; else the least loaded) and hands
     * it over. @return the thread's index; its port is the one the endpoint's ICE candidates must name
     */
    public int addEndpoint(EndpointMedia ep) {
        PacketThread t = threads[placement.place(ep.id, ep.conferenceId)];
        placed.put(ep.id, t);
        endpointByUfrag.put(ep.localUfrag, ep.id);
        t.execute(() -> t.path.endpoints.add(ep));
        return t.index;
    }

    /** The local port of a packet thread's socket: the one its endpoints' ICE candidates name. */
    public int port(int thread) {
        return ports[thread];
    }

    /** Forgets an endpoint: its addresses, its sources (and their subscribers), its subscriptions. */
    public void removeEndpoint(String endpointId) {
        PacketThread t = placed.remove(endpointId);
        if (t == null) return;
        closing.put(endpointId, t);
        placement.removed(endpointId);
        endpointByUfrag.values().removeIf(endpointId::equals);
        t.execute(() -> {
            EndpointMedia ep = t.path.endpoints.remove(endpointId);
            if (ep == null) return;
            t.tcp.closeAll(ep);
            E2eeEnforcement.logLeaving(ep);
            ep.failed = true;
            t.path.subscriptions.removeAll(ep);
        });
    }

    /**
     * The client restarts ICE: checks with the SFU's new credentials are accepted from now on, and once the first one
     * arrived the old ufrag and the addresses validated with it are forgotten (DTLS and SRTP go on).
     */
    public void restartIce(String endpointId, IceCredentials credentials) {
        if (placed.containsKey(endpointId)) endpointByUfrag.put(credentials.ufrag(), endpointId);
        onEndpoint(endpointId, (t, ep) -> t.path.endpoints.restartIce(ep, credentials));
    }

    /**
     * Declares what an endpoint publishes (its accepted upstream m-lines) and how to map downstream payload types
     * and header extensions for it as a receiver.
     */
    public void setUpstream(String endpointId, Iterable<Source> sources, int midExtensionId) {
        onEndpoint(endpointId, (t, ep) -> t.path.subscriptions.setUpstream(ep, sources, midExtensionId, t.now()));
    }

    public void attachDtls(String endpointId, DtlsServerSession dtls) {
        onEndpoint(endpointId, (t, ep) -> ep.dtls = dtls);
    }

    /** Installs the SRTP keys once the DTLS handshake is done; media flows from here on. */
    public void srtpReady(String endpointId, SrtpSession srtp) {
        onEndpoint(endpointId, (t, ep) -> {
            ep.srtp = srtp;
            t.path.subscriptions.keysReady(ep, t.now());
        });
    }

    /** Sends a datagram from a thread other than a packet thread (DTLS handshakes); never blocks. */
    public void sendFromOtherThread(String endpointId, byte[] b, int off, int len, InetSocketAddress to) {
        PacketThread t = placed.get(endpointId);
        if (t == null) t = closing.get(endpointId);
        if (t != null) t.sendFromOtherThread(b, off, len, to);
    }

    /** A removed endpoint's DTLS is closed: nothing more is sent for it. */
    public void forgetClosed(String endpointId) {
        closing.remove(endpointId);
    }

    // ---------------------------------------------------------------- who receives what

    /**
     * Starts sending {@code source} to {@code receiverId} (after the receiver accepted the m-line for it), with what
     * was negotiated on that m-line. A sender on another thread reaches the receiver through a pipe: decrypted once
     * there, encrypted here per receiver.
     */
    public void subscribe(String receiverId, Source source, Downlink downlink, VideoQuality wanted) {
        PacketThread home = placed.get(source.endpointId());
        PacketThread here = placed.get(receiverId);
        if (home == null || here == null) return;
        if (home == here) {
            onEndpoint(receiverId, (t, r) -> t.path.subscriptions.subscribe(r, source, downlink, wanted, t.now()));
            return;
        }
        PipeRing forth = ring(home, here);
        PipeRing back = ring(here, home);
        onEndpoint(receiverId, (t, r) -> {
            SourceRoute mirror = t.path.pipes.mirrorOf(source, back, forth, home, t.rates());
            t.path.subscriptions.subscribe(r, mirror, downlink, wanted, t.now());
        });
    }

    public void unsubscribe(String receiverId, Source source) {
        onEndpoint(receiverId, (t, r) -> t.path.subscriptions.unsubscribe(r, source));
    }

    /**
     * What the receiver wants of a video source; rate control may still hold it on the thumbnail. When this changes
     * what a simulcast receiver gets, the listener hears it with {@code reason} ("subscription", "spotlight").
     */
    public void setVideoQuality(String receiverId, Source source, VideoQuality quality, String reason) {
        onEndpoint(receiverId, (t, r) -> t.path.subscriptions.setVideoQuality(r, source, quality, reason));
    }

    /** Host mute: the endpoint's audio stops reaching everyone (its client is asked to mute too). */
    public void setAudioForwarded(String endpointId, boolean forwarded) {
        onEndpoint(endpointId, (t, ep) -> ep.audioMuted = !forwarded);
    }

    /** Waiting room: a held endpoint's media goes nowhere and it receives none. */
    public void setHeld(String endpointId, boolean held) {
        onEndpoint(endpointId, (t, ep) -> t.path.subscriptions.setHeld(ep, held, t.now()));
    }

    /** Marks a source as a screen share: its viewers' bandwidth goes to it before cameras (on every thread). */
    public void setScreenShare(String endpointId, String mid, boolean screenShare) {
        onEndpoint(endpointId, (t, ep) -> {
            SourceRoute r = ep.routeByMid(mid);
            if (r == null) return;
            r.screenShare = screenShare;
            for (PipeOut pipe : r.pipes) {
                PacketThread there = pipe.ring().consumer;
                SourceRoute mirror = pipe.mirror();
                there.execute(() -> mirror.screenShare = screenShare);
            }
        });
    }

    /** The pipe from one thread to another, made on first use; both ends learn it on their own threads. */
    private PipeRing ring(PacketThread from, PacketThread to) {
        PipeRing r = rings[from.index][to.index];
        if (r == null) {
            PipeRing made = new PipeRing(from, to, PIPE_CAPACITY, PacketThread.BUFFER_SIZE);
            rings[from.index][to.index] = made;
            from.execute(() -> from.path.pipes.addOutbound(made));
            to.execute(() -> to.path.pipes.addInbound(made));
            r = made;
        }
        return r;
    }

    // ---------------------------------------------------------------- end-to-end encryption

    /**
     * From now on, forwards only end-to-end-encrypted frames from these endpoints (nothing of them until their
     * encryption is established). Completes once the packet threads applied it: no packet they handle after that
     * forwards plaintext of them.
     */
    public CompletionStage<Void> requireE2ee(Collection<String> endpointIds) {
        List<CompletableFuture<Void>> applied = new ArrayList<>();
        for (String id : List.copyOf(endpointIds)) {
            PacketThread t = placed.get(id);
            if (t == null) continue;
            CompletableFuture<Void> f = new CompletableFuture<>();
            applied.add(f);
            t.execute(() -> {
                EndpointMedia ep = t.path.endpoints.get(id);
                if (ep != null) t.path.e2ee.require(ep);
                f.complete(null);
            });
        }
        return CompletableFuture.allOf(applied.toArray(new CompletableFuture[0]));
    }

    /** {@link #requireE2ee(Collection)} for one endpoint. */
    public CompletionStage<Void> requireE2ee(String endpointId) {
        return requireE2ee(List.of(endpointId));
    }

    /** What the end-to-end-encryption check did, per endpoint subject to it (read on the packet threads). */
    public CompletionStage<List<E2eeEndpointStats>> e2eeStats() {
        return gather(t -> E2eeEnforcement.snapshot(t.path.endpoints.all()));
    }

    // ---------------------------------------------------------------- operators and diagnostics

    /**
     * Hands {@code sink} a snapshot of every endpoint's media counters, taken on the packet threads between packets
     * (metrics call it every few seconds: no lock or allocation is added to the packet path).
     */
    public void sample(Consumer<MediaSample> sink) {
        Map<Integer, Long> taken = new ConcurrentHashMap<>();
        gather(t -> {
            MediaSample s = MediaSample.of(t.path.endpoints.all(), t.now());
            taken.put(t.index, s.takenNanos());
            return s.endpoints();
        }).thenAccept(all -> sink.accept(new MediaSample(taken.getOrDefault(0, 0L), all)));
    }

    /** A diagnostic tap on decrypted (hop-by-hop) RTP, for tests that prove the SFU sees only ciphertext. */
    public void setTap(PacketTap tap) {
        for (PacketThread t : threads) t.path.rtp.setTap(tap);
    }

    /** Endpoints per packet thread, as placed (control thread's view). */
    public int[] endpointsPerThread() {
        return placement.endpointsPerThread();
    }

    private interface EndpointTask {
        void run(PacketThread thread, EndpointMedia ep);
    }

    /** Runs {@code task} on the endpoint's packet thread, if the endpoint still exists there. */
    private void onEndpoint(String endpointId, EndpointTask task) {
        PacketThread t = placed.get(endpointId);
        if (t == null) return;
        t.execute(() -> {
            EndpointMedia ep = t.path.endpoints.get(endpointId);
            if (ep != null) task.run(t, ep);
        });
    }

    /** Collects a list from every packet thread, each computed on its own thread. */
    private <T> CompletionStage<List<T>> gather(Function<PacketThread, List<T>> part) {
        List<CompletableFuture<List<T>>> parts = new ArrayList<>();
        for (PacketThread t : threads) {
            CompletableFuture<List<T>> f = new CompletableFuture<>();
            parts.add(f);
            t.execute(() -> f.complete(part.apply(t)));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<T> all = new ArrayList<>();
            for (CompletableFuture<List<T>> f : parts) all.addAll(f.join());
            return List.copyOf(all);
        });
    }

    @Override
    public void close() {
        if (tcpListener != null) tcpListener.close();
        for (PacketThread t : threads) t.close();
    }
}
