package org.conclave.tests.media;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.client.SimulcastSender;
import org.conclave.tests.harness.Candidates;
import org.conclave.tests.harness.UdpShaper;

/** JavaPeers in one conference, joined straight through SfuControl, optionally each behind its own shaper. */
final class JavaRig {
    static final Duration POLL = Duration.ofMillis(50);
    /** Thumbnail and full-res of the simulcast sender, as ids in the payload tags. */
    static final int THUMBNAIL_LAYER = 0;
    static final int FULL_RES_LAYER = 1;

    record LayerChange(long atNanos, String streamId, String trackId, VideoQuality quality, String reason) {}

    /** A joined peer: its endpoint, shaper (or null), re-offers and layer changes as the SFU reported them. */
    static final class Member {
        final String name;
        final JavaPeer peer;
        final UdpShaper shaper;
        volatile String endpointId;
        volatile String lastOffer = "";
        /** Set when the SFU reported the endpoint closed (EndpointListener.onClosed), with why. */
        volatile boolean closed;
        volatile CloseCause closeCause;
        volatile String closeDetail;
        /** When it closed (System.nanoTime). */
        volatile long closedAtNanos;
        /** The failure the SFU reported before closing it, or null. */
        volatile FailureReason failure;
        final List<LayerChange> layerChanges = new CopyOnWriteArrayList<>();
        /** The SFU's answer to the first offer, and its offers, with the stream metadata each carried. */
        volatile SfuDescription answer;
        final List<SfuDescription> offers = new CopyOnWriteArrayList<>();
        /** What onStreamMetadata reported, in order. */
        final List<Map<String, StreamMetadata>> metadataUpdates = new CopyOnWriteArrayList<>();
        /** When each offer arrived (System.nanoTime). */
        final List<Long> offersAtNanos = new CopyOnWriteArrayList<>();
        /** Offers still to be dropped unanswered, as a client that ignores an offer colliding with its own does. */
        final java.util.concurrent.atomic.AtomicInteger offersToDrop = new java.util.concurrent.atomic.AtomicInteger();

        Member(String name, JavaPeer peer, UdpShaper shaper) {
            this.name = name;
            this.peer = peer;
            this.shaper = shaper;
        }

        /** msid "stream track" of the first sendonly video the SFU offered us, or null. */
        String[] videoTrack() {
            for (String section : lastOffer.split("(?=\r\nm=)")) {
                if (!section.startsWith("\r\nm=video") || !section.contains("a=sendonly")) continue;
                Matcher m = Pattern.compile("a=msid:(\\S+) (\\S+)").matcher(section);
                if (m.find()) return new String[] {m.group(1), m.group(2)};
            }
            return null;
        }
    }

    private JavaRig() {}

    /**
     * Joins a JavaPeer simulcast sender ("lo", "hi") that obeys REMB/TMMBR and starts sending the two layers; both go
     * on {@code closing} (the sender first). @return the sender's peer (its rate requests are what tests read)
     */
    static JavaPeer startSimulcastSender(SfuControl control, String conference, long thumbnailBps, long fullResBps,
            boolean tmmbr, List<AutoCloseable> closing) throws Exception {
        JavaPeer peer = new JavaPeer().simulcast("lo", "hi");
        peer.offerTmmbr = tmmbr;
        peer.keepPackets = false;
        closing.add(peer);
        join(control, conference, "sender", peer, null);
        closing.add(0, new SimulcastSender(peer, List.of(thumbnail(thumbnailBps), fullRes(fullResBps)), 3_000, true));
        return peer;
    }

    static SimulcastSender.Layer thumbnail(long bps) {
        return new SimulcastSender.Layer("lo", THUMBNAIL_LAYER, bps, 15, 320, 180);
    }

    static SimulcastSender.Layer fullRes(long bps) {
        return new SimulcastSender.Layer("hi", FULL_RES_LAYER, bps, 30, 1280, 720);
    }

    /** A shaper in front of the SFU for one peer; rates in bit/s on the SFU-to-client direction. */
    static UdpShaper shaper(SfuFixture f, long downBps, long seed) throws Exception {
        InetSocketAddress sfu = f.sfu.boundAddress();
        UdpShaper s = new UdpShaper(new InetSocketAddress("127.0.0.1", sfu.getPort()), seed);
        s.down().rateBps(downBps);
        return s;
    }

    static Member join(SfuControl control, String conference, String name, JavaPeer peer, UdpShaper shaper)
            throws Exception {
        return join(control, conference, name, Role.GUEST, peer, shaper);
    }

    static Member join(SfuControl control, String conference, String name, Role role, JavaPeer peer,
            UdpShaper shaper) throws Exception {
        return join(control, conference, name, role, peer, shaper, Map.of());
    }

    /** Joins with {@code metadata} (the client's sdp_stream_metadata of its own streams) in the first offer. */
    static Member join(SfuControl control, String conference, String name, Role role, JavaPeer peer,
            UdpShaper shaper, Map<String, StreamMetadata> metadata) throws Exception {
        return join(control, conference, name, role, peer, shaper, metadata, 0);
    }

    /** ... and drops the SFU's first {@code dropOffers} offers unanswered. */
    static Member join(SfuControl control, String conference, String name, Role role, JavaPeer peer,
            UdpShaper shaper, Map<String, StreamMetadata> metadata, int dropOffers) throws Exception {
        Member m = new Member(name, peer, shaper);
        m.offersToDrop.set(dropOffers);
        m.endpointId = control.allocate(new AllocateRequest(conference, name, role), new EndpointListener() {
            @Override
            public void onFailed(String endpointId, FailureReason reason, String detail) {
                m.failure = reason;
            }

            @Override
            public void onClosed(String endpointId, CloseCause cause, String detail) {
                m.closeCause = cause;
                m.closeDetail = detail;
                m.closedAtNanos = System.nanoTime();
                m.closed = true;
            }

            @Override
            public void onOffer(String endpointId, SfuDescription offer) {
                m.offersAtNanos.add(System.nanoTime());
                m.offers.add(offer);
                if (m.offersToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return;
                m.lastOffer = offer.sdp();
                control.applyAnswer(endpointId, peer.answerTo(offer.sdp()));
            }

            @Override
            public void onStreamMetadata(String endpointId, Map<String, StreamMetadata> streams) {
                m.metadataUpdates.add(streams);
            }

            @Override
            public void onLayerChanged(String endpointId, String streamId, String trackId, VideoQuality quality,
                    String reason) {
                m.layerChanges.add(new LayerChange(System.nanoTime(), streamId, trackId, quality, reason));
            }
        }).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
        m.answer = control.applyOffer(m.endpointId, peer.offer(), metadata).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        String answer = m.answer.sdp();
        peer.connect(shaper == null ? answer : Candidates.rewrite(answer, shaper.address()));
        return m;
    }

    /** Asks for full-res (or thumbnail) of the sender's video as this member sees it. */
    static void setQuality(SfuControl control, Member m, VideoQuality q) throws Exception {
        String[] track = m.videoTrack();
        if (track == null) throw new AssertionError(m.name + " was offered no video:\n" + m.lastOffer);
        control.setVideoQuality(m.endpointId, track[0], track[1], q).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Polls until {@code done} or the deadline; true if it came true. */
    static boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
        }
        return true;
    }

    /** Bytes the member received so far over all its video streams. */
    static long videoBytes(Member m) {
        return m.peer.ledger.streams().stream().mapToLong(s -> s.bytes()).sum();
    }

    static java.util.Set<Integer> windowLayers(Member m) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        m.peer.ledger.streams().forEach(s -> out.addAll(s.windowLayers()));
        return out;
    }

    static int lastLayer(Member m) {
        return m.peer.ledger.streams().stream().mapToInt(s -> s.lastLayer()).max().orElse(-1);
    }
}
