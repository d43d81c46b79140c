package org.conclave.sfu.forward;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A packet thread's side of the in-process pipes (mediasoup's pipeToRouter idea, within one process): a conference
 * larger than one thread spans threads. Its source stays on its sender's thread, decrypted there once; every other
 * thread with viewers of it holds a <em>mirror</em> of its {@link SourceRoute} and gets each packet once through a
 * {@link PipeRing}, then encrypts it per viewer like any local packet. Feedback goes back the other way: key-frame
 * requests (after the viewer's budget here) and this thread's viewers' rate limit (for the sender's clamp). NACKs are
 * answered here, from the mirror's own cache. Packet thread only.
 */
final class Pipes {
    private static final PipeRing[] NO_RINGS = new PipeRing[0];
    private static final SourceRoute[] NO_ROUTES = new SourceRoute[0];

    private final PacketThread self;
    private final WorkerStats stats;
    private PipeRing[] inbound = NO_RINGS;
    private PipeRing[] outbound = NO_RINGS;
    private final Map<Source, SourceRoute> mirrors = new IdentityHashMap<>();
    private SourceRoute[] mirrorList = NO_ROUTES;

    Pipes(PacketThread self, WorkerStats stats) {
        this.self = self;
        this.stats = stats;
    }

    void addInbound(PipeRing ring) {
        if (!Arrays.asList(inbound).contains(ring)) inbound = append(inbound, ring);
    }

    void addOutbound(PipeRing ring) {
        if (!Arrays.asList(outbound).contains(ring)) outbound = append(outbound, ring);
    }

    /** The pipes to the threads this one sent to so far. */
    PipeRing[] outbound() {
        return outbound;
    }

    boolean inboundEmpty() {
        for (PipeRing r : inbound) {
            if (!r.isEmpty()) return false;
        }
        return true;
    }

    /** Mirrors of sources whose senders live on other threads. */
    SourceRoute[] mirrors() {
        return mirrorList;
    }

    SourceRoute mirror(Source source) {
        return mirrors.get(source);
    }

    /** The mirror of a source on {@code home}, made (and attached there) on first use. */
    SourceRoute mirrorOf(Source source, PipeRing back, PipeRing forth, PacketThread home,
            org.conclave.sfu.config.RateControlConfig rates) {
        SourceRoute m = mirrors.get(source);
        if (m != null) return m;
        SourceRoute mirror = new SourceRoute(source, new PipeLink(back, self.index), rates.keyFrames(), rates.clamp());
        mirrors.put(source, mirror);
        mirrorList = append(mirrorList, mirror);
        home.execute(() -> home.path.attachPipe(source, forth, mirror));
        return mirror;
    }

    /** A mirror no viewer here uses any more: forgotten, and its home stops sending it. */
    void releaseIfUnused(SourceRoute mirror) {
        if (mirror.upstream == null || mirror.subscribers.length > 0 || mirror.closed) return;
        forget(mirror);
        SourceRoute home = mirror.upstream.homeRoute;
        PacketThread homeThread = mirror.upstream.ring.consumer;
        homeThread.execute(() -> home.removePipe(mirror));
    }

    /** The source went away at home: its viewers here stop getting it. */
    void closeMirror(SourceRoute mirror, Subscriptions subscriptions) {
        if (mirror.closed) return;
        subscriptions.dropViewers(mirror);
        forget(mirror);
    }

    private void forget(SourceRoute mirror) {
        mirror.closed = true;
        mirrors.remove(mirror.source, mirror);
        mirrorList = Arrays.stream(mirrorList).filter(m -> m != mirror).toArray(SourceRoute[]::new);
    }

    /** Everything the other threads sent here: media to the mirrors' viewers, feedback to the sources here. */
    void drain(PacketPath path, long now) {
        for (PipeRing ring : inbound) {
            int slot;
            while ((slot = ring.poll()) >= 0) {
                try {
                    handle(path, ring, slot, now);
                } catch (RuntimeException e) {
                    stats.internalErrors++;
                } finally {
                    ring.release();
                }
            }
        }
    }

    private void handle(PacketPath path, PipeRing ring, int slot, long now) {
        SourceRoute route = (SourceRoute) ring.target(slot);
        switch (ring.kind(slot)) {
            case PipeRing.MEDIA -> {
                stats.pipedIn++;
                if (!route.closed) route.acceptPiped(ring.data(slot), ring.length(slot), ring.arg(slot),
                        (int) ring.value1(slot), now, self, stats);
            }
            case PipeRing.SENDER_REPORT -> {
                if (!route.closed) path.rtcp.translateSenderReport(route, ring.value1(slot), ring.value2(slot), now);
            }
            case PipeRing.KEY_FRAME -> {
                if (!route.closed) path.keyFrames.request(route, ring.arg(slot), now);
            }
            case PipeRing.CLAMP -> {
                if (!route.closed && route.clamp != null) route.clamp.setExternalLimit(ring.arg(slot), ring.value1(slot));
            }
            default -> stats.internalErrors++;
        }
    }

    /**
     * Before the thread sleeps: wakes each thread this one sent something to since, if it sleeps. One fence per
     * batch, not per message.
     */
    void wakeConsumers() {
        boolean any = false;
        for (PipeRing r : outbound) any |= r.produced;
        if (!any) return;
        java.lang.invoke.VarHandle.fullFence();
        for (PipeRing r : outbound) {
            if (!r.produced) continue;
            r.produced = false;
            r.consumer.wakeIfSleeping();
        }
    }

    private static <T> T[] append(T[] a, T x) {
        T[] next = Arrays.copyOf(a, a.length + 1);
        next[a.length] = x;
        return next;
    }
}
