package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.bwe.ArrivalRecorder;
import org.conclave.sfu.bwe.KeyFrameBudget;
import org.conclave.sfu.bwe.KeyFrameRequestLimiter;
import org.conclave.sfu.bwe.LayerSelector;
import org.conclave.sfu.bwe.PacketCache;
import org.conclave.sfu.bwe.SendSideEstimator;
import org.conclave.sfu.bwe.UpstreamLossDetector;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.e2ee.E2eeEndpointStats;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.rtcp.Fir;
import org.conclave.sfu.rtcp.Pli;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.RtcpCompound;
import org.conclave.sfu.rtcp.RtcpFeedback;
import org.conclave.sfu.rtcp.SenderReport;
import org.conclave.sfu.rtp.Bytes;
import org.conclave.sfu.rtp.ExtensionUri;
import org.conclave.sfu.rtp.HeaderExtensions;
import org.conclave.sfu.rtp.ReceiveStatistics;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.rtp.SeqTsRewriter;
import org.conclave.sfu.srtp.SrtpSession;
import org.conclave.sfu.transport.PacketKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet thread: owns the one UDP socket and every endpoint's media state. It receives a datagram, demultiplexes
 * it (RFC 7983), answers STUN, hands DTLS records to the endpoint's DTLS thread, decrypts SRTP once, and for each
 * receiver rewrites the RTP header, encrypts and sends. Control changes arrive as tasks run between packets, so no
 * media state is ever shared with another thread and the hot path takes no lock and allocates nothing.
 */
public final class MediaWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaWorker.class);

    /** Room for a full-size datagram plus the SRTP/SRTCP overhead added in place. */
    static final int BUFFER_SIZE = 2048;
    static final int MAX_DATAGRAM = 1500;
    /** Upstream NACKs and key-frame polls run this often (libwebrtc's NACK module ticks every 20 ms too). */
    static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Receivers' bandwidth is re-allocated and senders' clamps re-evaluated this often. */
    static final long RATE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Layer bitrates are measured over windows this long. */
    static final long BITRATE_WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Audio levels are reported for speaker detection this often. */
    static final long AUDIO_LEVEL_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** {@link #sendRtpTo}'s transport-cc offset when the packet has no such element, or when it must be looked up. */
    static final int NO_TRANSPORT_CC = -1;
    static final int FIND_TRANSPORT_CC = -2;
    /** Transport-cc feedback to senders goes out this often (libwebrtc: 50-100 ms). */
    static final long TRANSPORT_FEEDBACK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long RECEIVER_REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    static final int MAX_REPORT_BLOCKS = 31;
    /** How long the SSRC feeding a source must be silent before another SSRC of the same source replaces it. */
    static final long INPUT_SILENCE_BEFORE_SWITCH_NS = TimeUnit.SECONDS.toNanos(1);
    /** SSRCs one endpoint may send (media, RTX, simulcast layers); more is hostile. */
    static final int MAX_INCOMING_STREAMS = 64;

    /** Events the control side needs; called on the packet thread, implementations must hand off at once. */
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

    private final DatagramChannel channel;
    private final Selector selector;
    private final NanoClock clock;
    private final Listener listener;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    private final byte[] rx = new byte[BUFFER_SIZE];
    private final ByteBuffer rxBuffer = ByteBuffer.wrap(rx);
    private final byte[] tx = new byte[BUFFER_SIZE];
    private final ByteBuffer txBuffer = ByteBuffer.wrap(tx);
    private final RtcpCompound rtcp = new RtcpCompound();

    private final RateControlConfig rates;
    private final RateControl rateControl;
    private final LossRepair lossRepair;
    private final E2eeEnforcement e2ee;
    private long nextRateNanos;
    private long nextBitrateNanos;
    private long lastBitrateNanos;
    private long nextAudioLevelNanos;
    private final Map<String, EndpointMedia> byId = new HashMap<>();
    private final Map<String, EndpointMedia> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, EndpointMedia> byAddress = new HashMap<>();
    private long nextHousekeepingNanos;

    private final WorkerStats stats = new WorkerStats();
    private volatile PacketTap tap;

    public MediaWorker(DatagramChannel channel, NanoClock clock, Listener listener) throws IOException {
        this(channel, clock, listener, RateControlConfig.defaults());
    }

    public MediaWorker(DatagramChannel channel, NanoClock clock, Listener listener, RateControlConfig rates)
            throws IOException {
        this.rates = rates;
        PacketIo io = new Io();
        this.lossRepair = new LossRepair(io, stats, rates.nack());
        this.rateControl = new RateControl(io, stats, rates, listener, lossRepair);
        this.e2ee = new E2eeEnforcement(io, stats, listener);
        this.channel = channel;
        this.clock = clock;
        this.listener = listener;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.thread = new Thread(this::loop, "sfu-packets");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public WorkerStats stats() {
        return stats;
    }

    /** Runs {@code task} on the packet thread, between packets. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    // ---------------------------------------------------------------- control operations (run as tasks)

    public void addEndpoint(EndpointMedia ep) {
        execute(() -> {
            byId.put(ep.id, ep);
            byUfrag.put(ep.localUfrag, ep);
        });
    }

    /** Forgets an endpoint: its addresses, its sources (and their subscribers), its subscriptions. */
    public void removeEndpoint(String endpointId) {
        execute(() -> {
            EndpointMedia ep = byId.remove(endpointId);
            if (ep == null) return;
            if (ep.e2ee != null && ep.e2ee.packetsRefused() > 0) {
                E2eeEndpointStats s = E2eeEnforcement.snapshot(ep);
                LOG.info("endpoint {} of conference {} left: the end-to-end-encryption check refused {} frames ({} "
                        + "packets), forwarded {}, held it {} times", ep.id, ep.conferenceId, s.framesRefused(),
                        s.packetsRefused(), s.framesForwarded(), s.holds());
            }
            ep.failed = true;
            byUfrag.remove(ep.ice.localCredentials().ufrag(), ep);
            if (ep.ice.pendingCredentials() != null) byUfrag.remove(ep.ice.pendingCredentials().ufrag(), ep);
            for (InetSocketAddress a : ep.addresses) byAddress.remove(a, ep);
            ep.addresses.clear();
            for (OutgoingStream out : ep.outgoing) out.route.removeSubscriber(ep);
            ep.outgoing = new OutgoingStream[0];
            for (SourceRoute r : ep.routes) {
                for (OutgoingStream out : r.subscribers) removeOutgoing(out.receiver, r);
            }
        });
    }

    /**
     * The client restarts ICE: checks with the SFU's new credentials are accepted from now on, and once the first one
     * arrived the old ufrag and the addresses validated with it are forgotten (DTLS and SRTP go on).
     */
    public void restartIce(String endpointId, org.conclave.sfu.ice.IceCredentials credentials) {
        execute(() -> {
            EndpointMedia ep = byId.get(endpointId);
            if (ep == null) return;
            org.conclave.sfu.ice.IceCredentials unused = ep.ice.pendingCredentials();
            if (unused != null) byUfrag.remove(unused.ufrag(), ep);
            ep.ice.restart(credentials);
            byUfrag.put(credentials.ufrag(), ep);
        });
    }

    /**
     * Declares what an endpoint publishes (its accepted upstream m-lines) and how to map downstream payload types
     * and header extensions for it as a receiver.
     */
    public void setUpstream(String endpointId, Iterable<Source> sources, int midExtensionId) {
        execute(() -> {
            EndpointMedia ep = byId.get(endpointId);
            if (ep == null) return;
            java.util.List<SourceRoute> routes = new java.util.ArrayList<>();
            for (Source s : sources) {
                SourceRoute existing = ep.routeByMid(s.mid());
                routes.add(existing != null && existing.source == s ? existing
                        : new SourceRoute(s, ep, rates.keyFrames(), rates.clamp()));
            }
            for (SourceRoute old : ep.routes) {
                if (!routes.contains(old)) {
                    for (OutgoingStream out : old.subscribers) removeOutgoing(out.receiver, old);
                    ep.removeIncoming(old);
                }
            }
            ep.routes = routes.toArray(new SourceRoute[0]);
            ep.midExtensionId = midExtensionId;
            e2ee.renegotiated(ep);
            ep.transportCcExtensionId = 0;
            for (SourceRoute r : ep.routes) {
                if (r.transportCcExtensionId > 0) ep.transportCcExtensionId = r.transportCcExtensionId;
            }
            if (ep.transportCcExtensionId > 0 && ep.arrivals == null) {
                ep.arrivals = new ArrivalRecorder(clock.nanoTime());
            }
        });
    }

    /**
     * From now on, forwards only end-to-end-encrypted frames from these endpoints (nothing of them until their
     * encryption is established). Completes once the packet thread applied it: no packet it handles after that
     * forwards plaintext of them.
     */
    public java.util.concurrent.CompletionStage<Void> requireE2ee(java.util.Collection<String> endpointIds) {
        java.util.concurrent.CompletableFuture<Void> applied = new java.util.concurrent.CompletableFuture<>();
        java.util.List<String> ids = java.util.List.copyOf(endpointIds);
        execute(() -> {
            for (String id : ids) {
                EndpointMedia ep = byId.get(id);
                if (ep != null) e2ee.require(ep);
            }
            applied.complete(null);
        });
        return applied;
    }

    /** {@link #requireE2ee(java.util.Collection)} for one endpoint. */
    public java.util.concurrent.CompletionStage<Void> requireE2ee(String endpointId) {
        return requireE2ee(java.util.List.of(endpointId));
    }

    /** What the end-to-end-encryption check did, per endpoint subject to it (read on the packet thread). */
    public java.util.concurrent.CompletionStage<java.util.List<E2eeEndpointStats>> e2eeStats() {
        java.util.concurrent.CompletableFuture<java.util.List<E2eeEndpointStats>> f =
                new java.util.concurrent.CompletableFuture<>();
        execute(() -> f.complete(E2eeEnforcement.snapshot(byId.values())));
        return f;
    }

    /**
     * Hands {@code sink} a snapshot of every endpoint's media counters, taken on the packet thread between packets
     * (metrics call it every few seconds: no lock or allocation is added to the packet path).
     */
    public void sample(java.util.function.Consumer<MediaSample> sink) {
        execute(() -> sink.accept(MediaSample.of(byId.values(), clock.nanoTime())));
    }

    /** A diagnostic tap on decrypted (hop-by-hop) RTP, for tests that prove the SFU sees only ciphertext. */
    public void setTap(PacketTap tap) {
        this.tap = tap;
    }

    /**
     * Starts sending {@code source} to {@code receiverId} (after the receiver accepted the m-line for it), with what
     * was negotiated on that m-line.
     */
    public void subscribe(String receiverId, Source source, Downlink downlink, VideoQuality wanted) {
        execute(() -> {
            EndpointMedia receiver = byId.get(receiverId);
            EndpointMedia sender = byId.get(source.endpointId());
            if (receiver == null || sender == null || receiver == sender) return;
            SourceRoute route = sender.routeByMid(source.mid());
            if (route == null || route.source != source) return;
            if (receiver.outgoingBySsrc((int) source.outSsrc()) != null) return;
            boolean video = source.kind() == MediaKind.VIDEO;
            byte[] pts = payloadTypeMap(source, downlink.payloadTypes());
            Integer twcc = downlink.extensionIds().get(ExtensionUri.TRANSPORT_WIDE_CC.uri());
            SentLog sent = video && downlink.nack() ? new SentLog(rates.nack().cachePackets()) : null;
            LayerSelector selector = video && route.layerCount > 1
                    ? new LayerSelector(rates.layers(), route.layerCount) : null;
            OutgoingStream out = new OutgoingStream(receiver, route, pts,
                    rtxPayloadTypeMap(downlink.payloadTypes(), downlink.rtxPayloadTypes()),
                    extensionIdMap(source, downlink.extensionIds()), twcc == null ? 0 : twcc, new SeqTsRewriter(),
                    new KeyFrameBudget(rates.keyFrames()), selector, sent);
            OutgoingStream[] next = java.util.Arrays.copyOf(receiver.outgoing, receiver.outgoing.length + 1);
            next[next.length - 1] = out;
            receiver.outgoing = next;
            route.addSubscriber(out);
            applyQuality(out, wanted);
            for (int layer = 0; layer < route.layerCount; layer++) {
                if (selector != null) selector.setLayerBitrate(layer, route.layerBitrateBps[layer]);
            }
            // A new viewer cannot decode before a key frame (a layered one asks for its target layer when polled).
            if (selector == null) requestKeyFrame(route, 0, clock.nanoTime());
        });
    }

    /** What one downstream m-line negotiated, as the forwarding needs it. */
    public record Downlink(Map<String, Integer> payloadTypes, Map<String, Integer> rtxPayloadTypes,
                           Map<String, Integer> extensionIds, boolean nack) {}

    public void unsubscribe(String receiverId, Source source) {
        execute(() -> {
            EndpointMedia receiver = byId.get(receiverId);
            EndpointMedia sender = byId.get(source.endpointId());
            if (receiver == null || sender == null) return;
            SourceRoute route = sender.routeByMid(source.mid());
            if (route != null) removeOutgoing(receiver, route);
        });
    }

    /**
     * What the receiver wants of a video source; rate control may still hold it on the thumbnail. When this changes
     * what a simulcast receiver gets, the listener hears it with {@code reason} ("subscription", "spotlight").
     */
    public void setVideoQuality(String receiverId, Source source, VideoQuality quality,
            String reason) {
        execute(() -> {
            EndpointMedia receiver = byId.get(receiverId);
            if (receiver == null) return;
            OutgoingStream out = receiver.outgoingBySsrc((int) source.outSsrc());
            if (out == null || out.route.source != source) return;
            VideoQuality before = out.effectiveQuality();
            applyQuality(out, quality);
            if (out.route.layerCount > 1 && out.effectiveQuality() != before) {
                listener.onLayerChanged(receiverId, source, out.effectiveQuality(), reason);
            }
        });
    }

    /** Host mute: the endpoint's audio stops reaching everyone (its client is asked to mute too). */
    public void setAudioForwarded(String endpointId, boolean forwarded) {
        execute(() -> {
            EndpointMedia ep = byId.get(endpointId);
            if (ep != null) ep.audioMuted = !forwarded;
        });
    }

    /** Waiting room: a held endpoint's media goes nowhere and it receives none. */
    public void setHeld(String endpointId, boolean held) {
        execute(() -> {
            EndpointMedia ep = byId.get(endpointId);
            if (ep == null || ep.held == held) return;
            ep.held = held;
            if (!held) {
                long now = clock.nanoTime();
                for (OutgoingStream out : ep.outgoing) requestKeyFrame(out.route, out.layerForKeyFrames(now), now);
                for (SourceRoute r : ep.routes) {
                    for (int layer = 0; layer < r.layerCount; layer++) {
                        if (r.subscribers.length > 0) requestKeyFrame(r, layer, now);
                    }
                }
            }
        });
    }

    /** Marks a source as a screen share: its viewers' bandwidth goes to it before cameras. */
    public void setScreenShare(String endpointId, String mid, boolean screenShare) {
        execute(() -> {
            EndpointMedia ep = byId.get(endpointId);
            SourceRoute r = ep == null ? null : ep.routeByMid(mid);
            if (r != null) r.screenShare = screenShare;
        });
    }

    /** Subscription and clamp membership follow what the receiver wants; the selector follows the result. */
    private void applyQuality(OutgoingStream out, VideoQuality wanted) {
        out.wanted = wanted;
        SourceRoute route = out.route;
        if (route.clamp != null) {
            if (route.layerCount == 1 || wanted == VideoQuality.FULL_RES) {
                route.clamp.addViewer(out);
            } else {
                route.clamp.removeViewer(out);
                out.demoted = false;
            }
        }
        if (out.selector != null) out.selector.setQuality(out.effectiveQuality());
    }

    public void attachDtls(String endpointId, org.conclave.sfu.dtls.DtlsServerSession dtls) {
        execute(() -> {
            EndpointMedia ep = byId.get(endpointId);
            if (ep != null) ep.dtls = dtls;
        });
    }

    /** Installs the SRTP keys once the DTLS handshake is done; media flows from here on. */
    public void srtpReady(String endpointId, SrtpSession srtp) {
        execute(() -> {
            EndpointMedia ep = byId.get(endpointId);
            if (ep == null) return;
            ep.srtp = srtp;
            long now = clock.nanoTime();
            // Whoever already watches this sender needs a key frame now that its media can be decrypted.
            for (SourceRoute r : ep.routes) {
                if (r.subscribers.length == 0) continue;
                for (int layer = 0; layer < r.layerCount; layer++) requestKeyFrame(r, layer, now);
            }
            // And this endpoint's own subscriptions need key frames from their senders.
            for (OutgoingStream out : ep.outgoing) requestKeyFrame(out.route, out.layerForKeyFrames(now), now);
        });
    }

    /** Sends a datagram from a thread other than the packet thread (DTLS handshakes); never blocks. */
    public void sendFromOtherThread(byte[] b, int off, int len, InetSocketAddress to) {
        if (to == null) return;
        try {
            channel.send(ByteBuffer.wrap(b, off, len), to);
        } catch (IOException e) {
            stats.offThreadSendErrors.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- the loop

    private void loop() {
        try {
            while (running) {
                runTasks();
                long now = clock.nanoTime();
                if (now - nextHousekeepingNanos >= 0) {
                    housekeeping(now);
                    nextHousekeepingNanos = now + HOUSEKEEPING_INTERVAL_NS;
                }
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextHousekeepingNanos - now));
                long idleFrom = System.nanoTime();
                selector.select(waitMs);
                stats.idleNanos += System.nanoTime() - idleFrom;
                selector.selectedKeys().clear();
                // Tasks queued before these datagrams arrived (say, a new endpoint's ufrag) must apply to them.
                runTasks();
                receiveAll();
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (Throwable t) {
            LOG.error("packet thread stopped unexpectedly", t);
        } finally {
            stopped.countDown();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("control task failed on the packet thread", e);
            }
        }
    }

    private void receiveAll() throws IOException {
        for (int i = 0; i < 256; i++) {
            rxBuffer.clear();
            SocketAddress from = channel.receive(rxBuffer);
            if (from == null) return;
            int len = rxBuffer.position();
            stats.datagramsReceived++;
            stats.bytesReceived += len;
            try {
                onDatagram((InetSocketAddress) from, len);
            } catch (RuntimeException e) {
                // Defensive: a parser bug must never kill the packet thread.
                stats.internalErrors++;
                if (stats.internalErrors < 20) LOG.warn("packet handling failed", e);
            }
        }
    }

    private void onDatagram(InetSocketAddress from, int len) {
        if (len > MAX_DATAGRAM) {
            stats.malformedDrops++;
            return;
        }
        EndpointMedia ep = byAddress.get(from);
        switch (PacketKind.of(rx, 0, len)) {
            case STUN -> onStun(ep, from, len);
            case DTLS -> {
                if (ep == null || ep.dtls == null) {
                    stats.unauthenticatedDrops++;
                } else {
                    ep.dtls.receive(rx, 0, len);
                }
            }
            case RTP_OR_RTCP -> {
                if (ep == null) {
                    stats.unauthenticatedDrops++;
                } else if (ep.srtp == null) {
                    stats.notReadyDrops++;
                } else if (RtpPacket.isRtcp(rx, 0, len)) {
                    onRtcp(ep, len);
                } else {
                    onRtp(ep, len);
                }
            }
            default -> stats.malformedDrops++;
        }
    }

    private void onStun(EndpointMedia known, InetSocketAddress from, int len) {
        if (!StunMessages.looksLikeStun(rx, 0, len)) {
            stats.malformedDrops++;
            return;
        }
        String ufrag = StunMessages.localUfrag(rx, 0, len);
        EndpointMedia ep = ufrag == null ? null : byUfrag.get(ufrag);
        if (ep == null) {
            stats.stunUnknownUfrag++;
            return;
        }
        String oldUfrag = ep.ice.localCredentials().ufrag();
        int generation = ep.ice.generation();
        int n = ep.ice.handleBindingRequest(rx, 0, len, from, tx, 0);
        if (n <= 0) {
            stats.stunRejected++;
            return;
        }
        send(n, from);
        boolean restarted = ep.ice.generation() != generation;
        if (restarted) {
            // An ICE restart completed: the old ufrag and addresses stop being accepted.
            stats.iceRestarts++;
            byUfrag.remove(oldUfrag, ep);
            for (InetSocketAddress a : ep.addresses) byAddress.remove(a, ep);
            ep.addresses.clear();
            if (known == ep) known = null;
        }
        if (known != ep && ep.ice.isValidated(from)) {
            if (known != null) known.addresses.remove(from);
            byAddress.put(from, ep);
            ep.addresses.addLast(from);
            while (ep.addresses.size() > EndpointMedia.MAX_ADDRESSES) {
                byAddress.remove(ep.addresses.pollFirst(), ep);
            }
        }
        ep.sendAddress = ep.ice.selectedAddress();
        if (restarted) requestKeyFramesAfterOutage(ep);
    }

    /**
     * After an ICE restart (a dead path, most likely) nobody can decode what crossed it without a key frame: ask the
     * endpoint's senders for the videos it receives, and the endpoint for its own videos, at once.
     */
    private void requestKeyFramesAfterOutage(EndpointMedia ep) {
        long now = clock.nanoTime();
        for (OutgoingStream out : ep.outgoing) requestKeyFrame(out.route, out.layerForKeyFrames(now), now);
        for (SourceRoute r : ep.routes) {
            for (int layer = 0; layer < r.layerCount; layer++) requestKeyFrame(r, layer, now);
        }
    }

    private void onRtp(EndpointMedia ep, int len) {
        int n = ep.srtp.unprotectRtp(rx, 0, len);
        if (n < 0) {
            ep.srtpErrors++;
            return;
        }
        if (RtpPacket.validate(rx, 0, n) < 0) {
            ep.malformedDrops++;
            return;
        }
        ep.rtpReceived++;
        // Where the sender's transport-wide number sits: read once here, overwritten per receiver in sendRtpTo.
        int transportCcAt = NO_TRANSPORT_CC;
        if (ep.arrivals != null) {
            long found = HeaderExtensions.find(rx, 0, n, ep.transportCcExtensionId);
            if (found != HeaderExtensions.NOT_FOUND && HeaderExtensions.dataLength(found) >= 2) {
                transportCcAt = HeaderExtensions.dataOffset(found);
                // Every packet with a transport-wide number counts for the sender's estimator, RTX and probes too.
                ep.arrivals.onPacket(Bytes.uint16(rx, transportCcAt), clock.nanoTime());
            }
        }
        PacketTap t = tap;
        if (t != null) t.onDecryptedRtp(ep.id, rx, 0, n);
        int ssrc = RtpPacket.ssrc(rx, 0);
        IncomingStream in = ep.incoming(ssrc);
        if (in == null) {
            in = bind(ep, ssrc, n);
            if (in == null) {
                ep.unknownSsrcDrops++;
                return;
            }
        }
        long now = clock.nanoTime();
        in.packets++;
        in.bytes += n;
        in.lastPacketNanos = now;
        boolean retransmission = false;
        if (in.repairs != null) {
            // RTX: restore the original packet (RFC 4588) and handle it as a late packet of the stream it repairs.
            n = unwrapRtx(in, n);
            if (n < 0) {
                stats.codecDrops++; // padding-only probes and RTX without a known codec
                return;
            }
            in = in.repairs;
            ssrc = in.ssrc;
            retransmission = true;
            stats.rtxReceived++;
        } else {
            in.stats.onPacket(RtpPacket.sequence(rx, 0), RtpPacket.timestamp(rx, 0), now);
        }
        SourceRoute route = in.route;
        // The offset holds only if this m-line numbers transport-cc as the endpoint does (BUNDLE usually agrees).
        if (route.transportCcExtensionId != ep.transportCcExtensionId) transportCcAt = FIND_TRANSPORT_CC;
        int pt = RtpPacket.payloadType(rx, 0);
        if (!route.mediaPayloadTypes[pt]) {
            // Unnegotiated formats never feed a source.
            stats.codecDrops++;
            return;
        }
        if (in.loss != null) in.loss.onPacket(RtpPacket.sequence(rx, 0), now);
        if (!retransmission) {
            in.lastTimestamp = RtpPacket.timestamp(rx, 0);
            in.hasTimestamp = true;
        }
        // Before anything forwards, caches or measures it; also for muted and waiting endpoints (the counter goes on).
        if (ep.e2ee != null && !e2ee.admit(ep, in, pt, rx, n, retransmission, now)) return;
        if (ep.held || (ep.audioMuted && route.source.kind() == MediaKind.AUDIO)) {
            stats.heldOrMutedDrops++;
            return;
        }
        if (route.layerCount == 1) {
            boolean newInput = !route.hasInput || route.currentInputSsrc != ssrc;
            if (newInput && route.hasInput && now - route.lastInputNanos < INPUT_SILENCE_BEFORE_SWITCH_NS) {
                // A second SSRC on a single-layer m-line: one stream per source; another SSRC takes over only when
                // the current one went silent (sender restart).
                stats.inactiveStreamDrops++;
                return;
            }
            route.currentInputSsrc = ssrc;
        }
        route.hasInput = true;
        route.lastInputNanos = now;
        route.layerSsrc[in.layer] = ssrc;
        int payloadOff = RtpPacket.payloadOffset(rx, 0);
        int payloadLen = RtpPacket.payloadLength(rx, 0, n);
        if (route.audioLevelExtensionId > 0) {
            int raw = HeaderExtensions.audioLevel(rx, 0, n, route.audioLevelExtensionId);
            if (raw >= 0) {
                ep.audioLevelSum += HeaderExtensions.level(raw);
                ep.audioLevelCount++;
            }
        }
        boolean keyFrameStart = route.layerCount > 1 && route.videoCodecs[pt] != null
                && route.videoCodecs[pt].isKeyFrameStart(rx, payloadOff, payloadLen);
        if (in.cache != null) in.cache.put(rx, 0, n, now);
        OutgoingStream[] subscribers = route.subscribers;
        for (OutgoingStream out : subscribers) {
            forward(out, n, in, keyFrameStart, transportCcAt, now);
        }
    }

    /** Rewrites an RTX packet in place into the packet it repairs. @return its length, or -1 to drop it */
    private int unwrapRtx(IncomingStream rtx, int n) {
        int apt = rtx.route.rtxApt[RtpPacket.payloadType(rx, 0)];
        int off = RtpPacket.payloadOffset(rx, 0);
        int payload = RtpPacket.payloadLength(rx, 0, n);
        if (apt < 0 || payload < 2) return -1;
        int originalSeq = ((rx[off] & 0xFF) << 8) | (rx[off + 1] & 0xFF);
        System.arraycopy(rx, off + 2, rx, off, n - off - 2);
        RtpPacket.setSequence(rx, 0, originalSeq);
        RtpPacket.setSsrc(rx, 0, rtx.repairs.ssrc);
        RtpPacket.setPayloadType(rx, 0, apt);
        return n - 2;
    }

    /**
     * Finds which upstream m-line (and simulcast layer) an unknown SSRC belongs to: SDP-declared SSRCs first, then
     * the MID and rid header extensions. RTX SSRCs are bound to the media stream they repair (a=ssrc-group:FID, or
     * repaired-rid).
     */
    private IncomingStream bind(EndpointMedia ep, int ssrc, int len) {
        SourceRoute route = ep.routeDeclaring(ssrc);
        if (route == null && ep.midExtensionId > 0) {
            long found = HeaderExtensions.find(rx, 0, len, ep.midExtensionId);
            if (found != HeaderExtensions.NOT_FOUND) {
                route = ep.routeByMid(rx, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found));
            }
        }
        if (route == null || ep.incoming.length >= MAX_INCOMING_STREAMS) return null;
        int pt = RtpPacket.payloadType(rx, 0);
        if (route.rtxApt[pt] >= 0) {
            IncomingStream media = repairedStream(ep, route, ssrc, len);
            if (media == null) return null;
            IncomingStream in = new IncomingStream(ssrc, route, new ReceiveStatistics(ssrc, route.source.clockRate(), 1),
                    media.layer, media, null, null);
            ep.addIncoming(in);
            return in;
        }
        int layer = layerOf(route, ssrc, len);
        if (layer < 0) return null;
        UpstreamLossDetector loss = route.source.nack() ? new UpstreamLossDetector(rates.nack()) : null;
        // Video is kept once here for every receiver's NACKs (each receiver only logs what it was sent).
        PacketCache cache = route.source.kind() == MediaKind.VIDEO ? new PacketCache(rates.nack()) : null;
        IncomingStream in = new IncomingStream(ssrc, route, new ReceiveStatistics(ssrc, route.source.clockRate(), 1),
                layer, null, loss, cache);
        ep.addIncoming(in);
        return in;
    }

    /** The simulcast layer of a media SSRC: from a=ssrc-group:SIM, else the rid extension; -1 if unknown yet. */
    private int layerOf(SourceRoute route, int ssrc, int len) {
        if (route.layerCount == 1) return 0;
        int layer = route.layerOfDeclaredSsrc(ssrc);
        if (layer >= 0) return layer;
        if (route.ridExtensionId > 0) {
            long found = HeaderExtensions.find(rx, 0, len, route.ridExtensionId);
            if (found != HeaderExtensions.NOT_FOUND) {
                return route.layerOfRid(rx, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found));
            }
        }
        return -1;
    }

    private IncomingStream repairedStream(EndpointMedia ep, SourceRoute route, int rtxSsrc, int len) {
        for (Map.Entry<Long, Long> e : route.source.rtxSsrcs().entrySet()) {
            if (e.getKey().intValue() == rtxSsrc) return ep.incoming(e.getValue().intValue());
        }
        if (route.repairedRidExtensionId > 0) {
            long found = HeaderExtensions.find(rx, 0, len, route.repairedRidExtensionId);
            if (found != HeaderExtensions.NOT_FOUND) {
                int layer = route.layerOfRid(rx, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found));
                if (layer >= 0 && route.layerSsrc[layer] != 0) return ep.incoming(route.layerSsrc[layer]);
            }
        }
        if (route.layerCount == 1 && route.hasInput) return ep.incoming(route.currentInputSsrc);
        return null;
    }

    private void forward(OutgoingStream out, int len, IncomingStream in, boolean keyFrameStart, int transportCcAt,
            long now) {
        EndpointMedia r = out.receiver;
        InetSocketAddress to = r.sendAddress;
        if (r.srtp == null || to == null || r.failed || r.held) return;
        int pt = RtpPacket.payloadType(rx, 0);
        int outPt = out.payloadTypes[pt];
        if (outPt < 0) {
            stats.codecDrops++; // the receiver did not negotiate this codec
            return;
        }
        int inputSsrc = in.ssrc;
        boolean switched;
        if (out.selector != null) {
            int verdict = out.selector.onPacket(in.layer, keyFrameStart, now);
            if (verdict == LayerSelector.DROP) return;
            switched = verdict == LayerSelector.SWITCH || !out.started || out.lastInputSsrc != inputSsrc;
        } else {
            // A different input SSRC than this receiver last got (sender restart): continue seamlessly.
            switched = !out.started || out.lastInputSsrc != inputSsrc;
        }
        System.arraycopy(rx, 0, tx, 0, len);
        int seq = RtpPacket.sequence(tx, 0);
        long ts = RtpPacket.timestamp(tx, 0);
        long rewritten = out.rewriter.rewrite(seq, ts, switched, now, out.route.source.clockRate());
        if (rewritten == SeqTsRewriter.REJECTED) {
            stats.rewriterDrops++;
            return;
        }
        out.started = true;
        out.lastInputSsrc = inputSsrc;
        int outSeq = SeqTsRewriter.outSeq(rewritten);
        long outTs = SeqTsRewriter.outTs(rewritten);
        out.rewriteHeader(tx, len, outSeq, outTs, outPt);
        out.lastOutPt = outPt;
        if (out.sent != null) out.sent.record(outSeq, in, seq, outTs, now);
        out.packetsSent++;
        out.bytesSent += len - RtpPacket.headerLength(tx, 0);
        sendRtpTo(r, out, len, transportCcAt, now);
    }

    /** Stamps the receiver's transport-wide sequence (when it has one there), encrypts and sends. */
    private void sendRtpTo(EndpointMedia r, OutgoingStream out, int len, int transportCcAt, long now) {
        SendSideEstimator estimator = r.downlink.sendSide();
        boolean stamped = false;
        // The receiver's own transport-cc id maps the sender's element (renumbered, same place) or nothing.
        if (out.transportCcId > 0 && estimator != null) {
            if (transportCcAt >= 0) {
                Bytes.putUint16(tx, transportCcAt, estimator.nextSequence());
                stamped = true;
            } else if (transportCcAt == FIND_TRANSPORT_CC) {
                stamped = HeaderExtensions.setTransportWideSequence(tx, 0, len, out.transportCcId,
                        estimator.nextSequence());
            }
        }
        int m = r.srtp.protectRtp(tx, 0, len);
        if (m < 0) {
            r.srtpErrors++;
            return;
        }
        if (stamped) estimator.onPacketSent(m, now);
        r.rtpSent++;
        r.rtpBytesSent += m;
        send(m, r.sendAddress);
    }


    private void onRtcp(EndpointMedia ep, int len) {
        int n = ep.srtp.unprotectRtcp(rx, 0, len);
        if (n < 0) {
            ep.srtpErrors++;
            return;
        }
        if (rtcp.reset(rx, 0, n) < 0 && rtcp.validPackets() == 0) {
            ep.malformedDrops++;
            return;
        }
        ep.rtcpReceived++;
        long now = clock.nanoTime();
        while (rtcp.next()) {
            switch (rtcp.kind()) {
                case SENDER_REPORT -> {
                    onSenderReport(ep, rtcp.offset(), now);
                    rateControl.onReportBlocks(ep, rx, rtcp.offset() + SenderReport.HEADER_LENGTH,
                            ReceiverReport.reportBlockCount(rx, rtcp.offset()), rtcp.offset() + rtcp.length(), now);
                }
                case RECEIVER_REPORT -> rateControl.onReportBlocks(ep, rx, rtcp.offset() + ReceiverReport.HEADER_LENGTH,
                        ReceiverReport.reportBlockCount(rx, rtcp.offset()), rtcp.offset() + rtcp.length(), now);
                case PLI -> relayKeyFrameRequest(ep.outgoingBySsrc(RtcpFeedback.mediaSsrc(rx, rtcp.offset())), now);
                case FIR -> {
                    int entries = Fir.entryCount(rx, rtcp.offset(), rtcp.length());
                    for (int i = 0; i < entries; i++) {
                        relayKeyFrameRequest(ep.outgoingBySsrc(Fir.targetSsrc(rx, rtcp.offset(), i)), now);
                    }
                }
                case NACK -> lossRepair.onNack(ep, rx, rtcp.offset(), rtcp.length(), now);
                case REMB, TRANSPORT_CC -> {
                    if (ep.downlink.onRtcp(rtcp.kind(), rx, rtcp.offset(), rtcp.length(), now)) stats.feedbackUsed++;
                }
                default -> {
                    // Receiver reports and the rest end here: the SFU terminates them.
                }
            }
        }
    }

    private void onSenderReport(EndpointMedia sender, int off, long now) {
        IncomingStream in = sender.incoming(SenderReport.senderSsrc(rx, off));
        if (in == null) return;
        long ntp = SenderReport.ntpTimestamp(rx, off);
        long rtpTs = SenderReport.rtpTimestamp(rx, off);
        in.stats.onSenderReport(ntp, now);
        for (OutgoingStream out : in.route.subscribers) {
            EndpointMedia r = out.receiver;
            if (r.srtp == null || r.sendAddress == null || !out.started) continue;
            // Only the sender info goes on: report blocks describe the sender's reception from us, not the receiver's.
            int n = SenderReport.write(tx, 0, out.outSsrc, ntp, (rtpTs + out.rewriter.timestampOffset()) & 0xFFFFFFFFL,
                    out.packetsSent, out.bytesSent, null, 0, now);
            out.lastSrCompactNtp = (int) (ntp >>> 16);
            out.lastSrSentNanos = now;
            int m = r.srtp.protectRtcp(tx, 0, n);
            if (m > 0) send(m, r.sendAddress);
        }
    }



    /** A receiver's PLI/FIR, within its budget and the layer's rate; the rest is coalesced or denied. */
    private void relayKeyFrameRequest(OutgoingStream out, long now) {
        if (out == null) return;
        int layer = out.layerForKeyFrames(now);
        if (!canRequestKeyFrame(out.route, layer)) return;
        if (out.route.keyFrames[layer].onReceiverRequest(out.keyFrameBudget, now) == KeyFrameRequestLimiter.SEND_NOW) {
            sendPli(out.route, layer);
        }
    }

    /** The SFU's own need for a key frame (a new viewer, keys just installed, a layer switch, upstream loss). */
    private void requestKeyFrame(SourceRoute route, int layer, long now) {
        if (canRequestKeyFrame(route, layer) && route.keyFrames[layer].request(now) == KeyFrameRequestLimiter.SEND_NOW) {
            sendPli(route, layer);
        }
    }

    /** Key frames exist only in video; a PLI naming an audio SSRC makes Chromium's sender misbehave. */
    private static boolean canRequestKeyFrame(SourceRoute route, int layer) {
        EndpointMedia sender = route.sender;
        return route.source.kind() == MediaKind.VIDEO && sender.srtp != null && sender.sendAddress != null
                && layer >= 0 && layer < route.layerCount && route.layerSsrc[layer] != 0 && !sender.failed;
    }

    private void sendPli(SourceRoute route, int layer) {
        EndpointMedia sender = route.sender;
        // An empty RR first keeps the compound valid for peers that do not do reduced-size RTCP.
        int n = ReceiverReport.writeHeader(tx, 0, sender.rtcpSsrc, 0);
        n += Pli.write(tx, n, sender.rtcpSsrc, route.layerSsrc[layer]);
        int m = sender.srtp.protectRtcp(tx, 0, n);
        if (m > 0) {
            stats.keyFrameRequestsSent++;
            send(m, sender.sendAddress);
        }
    }

    private void housekeeping(long now) {
        boolean measure = now - nextBitrateNanos >= 0;
        if (measure) {
            nextBitrateNanos = now + BITRATE_WINDOW_NS;
            rateControl.measureBitrates(byId.values(), now - lastBitrateNanos);
            lastBitrateNanos = now;
        }
        if (now - nextRateNanos >= 0) {
            nextRateNanos = now + RATE_INTERVAL_NS;
            for (EndpointMedia ep : byId.values()) {
                if (!ep.failed) rateControl.allocate(ep, now);
            }
            for (EndpointMedia ep : byId.values()) {
                if (!ep.failed) rateControl.clampSender(ep, now);
            }
        }
        if (now - nextAudioLevelNanos >= 0) {
            nextAudioLevelNanos = now + AUDIO_LEVEL_INTERVAL_NS;
            reportAudioLevels();
        }
        for (EndpointMedia ep : byId.values()) {
            if (ep.failed) continue;
            for (SourceRoute r : ep.routes) {
                for (int layer = 0; layer < r.layerCount; layer++) {
                    KeyFrameRequestLimiter limiter = r.keyFrames[layer];
                    if (limiter.hasPending() && canRequestKeyFrame(r, layer) && limiter.poll(now)) sendPli(r, layer);
                }
            }
            for (OutgoingStream out : ep.outgoing) {
                if (out.selector == null) continue;
                int layer = out.selector.pollKeyFrameRequest(now);
                if (layer != LayerSelector.NONE) requestKeyFrame(out.route, layer, now);
            }
            if (ep.srtp != null && ep.sendAddress != null) lossRepair.nackUpstream(ep, now);
            if (ep.arrivals != null && ep.srtp != null && ep.sendAddress != null
                    && now - ep.nextTransportFeedbackNanos >= 0 && ep.arrivals.hasNews()) {
                ep.nextTransportFeedbackNanos = now + TRANSPORT_FEEDBACK_INTERVAL_NS;
                rateControl.sendTransportFeedback(ep);
            }
            if (ep.srtp != null && ep.sendAddress != null && !ep.held) rateControl.probe(ep, now);
            IceLiteAgent.State state = ep.ice.state(now);
            if (state == IceLiteAgent.State.FAILED_TIMEOUT || state == IceLiteAgent.State.FAILED_CONSENT) {
                ep.failed = true;
                FailureReason reason = state == IceLiteAgent.State.FAILED_TIMEOUT
                        ? FailureReason.ICE_TIMEOUT : FailureReason.ICE_CONSENT_EXPIRED;
                String detail = state == IceLiteAgent.State.FAILED_TIMEOUT
                        ? "no authenticated ICE connectivity check arrived from the client in time"
                        : "the client stopped answering ICE consent checks (RFC 7675)";
                listener.onIceFailed(ep.id, reason, detail);
                continue;
            }
            if (ep.srtp != null && ep.sendAddress != null && ep.incoming.length > 0
                    && now - ep.lastReceiverReportNanos >= RECEIVER_REPORT_INTERVAL_NS) {
                ep.lastReceiverReportNanos = now;
                sendReceiverReport(ep, now);
            }
        }
    }








    private void reportAudioLevels() {
        Map<String, Integer> levels = null;
        for (EndpointMedia ep : byId.values()) {
            if (ep.audioLevelCount == 0) continue;
            if (levels == null) levels = new HashMap<>();
            levels.put(ep.id, (int) (ep.audioLevelSum / ep.audioLevelCount));
            ep.audioLevelSum = 0;
            ep.audioLevelCount = 0;
        }
        if (levels != null) listener.onAudioLevels(levels);
    }

    private void sendReceiverReport(EndpointMedia ep, long now) {
        int blocks = Math.min(ep.incoming.length, MAX_REPORT_BLOCKS);
        int n = ReceiverReport.writeHeader(tx, 0, ep.rtcpSsrc, blocks);
        for (int i = 0; i < blocks; i++) {
            IncomingStream in = ep.incoming[i];
            n += in.stats.writeReportBlock(tx, n, now);
        }
        int m = ep.srtp.protectRtcp(tx, 0, n);
        if (m > 0) send(m, ep.sendAddress);
    }

    private void removeOutgoing(EndpointMedia receiver, SourceRoute route) {
        route.removeSubscriber(receiver);
        receiver.outgoing = java.util.Arrays.stream(receiver.outgoing)
                .filter(o -> o.route != route).toArray(OutgoingStream[]::new);
    }

    private void send(int len, InetSocketAddress to) {
        txBuffer.clear().limit(len);
        try {
            if (channel.send(txBuffer, to) == 0) {
                stats.sendDrops++;
            } else {
                stats.datagramsSent++;
                stats.bytesSent += len;
            }
        } catch (IOException e) {
            stats.sendErrors++;
        }
    }

    /** The packet thread's buffer and socket, lent to its helpers (they run on this thread only). */
    private final class Io implements PacketIo {
        @Override
        public byte[] tx() {
            return tx;
        }

        @Override
        public void send(int len, InetSocketAddress to) {
            MediaWorker.this.send(len, to);
        }

        @Override
        public void sendRtp(EndpointMedia receiver, OutgoingStream out, int len, long nowNanos) {
            sendRtpTo(receiver, out, len, FIND_TRANSPORT_CC, nowNanos);
        }

        @Override
        public void requestKeyFrame(SourceRoute route, int layer, long nowNanos) {
            MediaWorker.this.requestKeyFrame(route, layer, nowNanos);
        }
    }

    // ---------------------------------------------------------------- mapping tables (built once per subscription)

    private static byte[] payloadTypeMap(Source source, Map<String, Integer> receiverPayloadTypes) {
        byte[] map = new byte[128];
        java.util.Arrays.fill(map, (byte) -1);
        for (Map.Entry<Integer, String> e : source.codecs().entrySet()) {
            Integer pt = receiverPayloadTypes.get(e.getValue());
            if (pt != null && e.getKey() >= 0 && e.getKey() < 128) map[e.getKey()] = (byte) (int) pt;
        }
        return map;
    }

    /** URIs forwarded downstream; the rest (mid, rid, transport-cc) describe the sender's hop, not the receiver's. */
    static final java.util.Set<String> FORWARDED_EXTENSIONS = java.util.Set.of(ExtensionUri.AUDIO_LEVEL.uri(),
            ExtensionUri.ABS_SEND_TIME.uri(), ExtensionUri.VIDEO_ORIENTATION.uri(), ExtensionUri.TOFFSET.uri(),
            ExtensionUri.PLAYOUT_DELAY.uri());

    private static byte[] extensionIdMap(Source source, Map<String, Integer> receiverIds) {
        byte[] map = new byte[256];
        for (Map.Entry<Integer, String> e : source.extensions().entrySet()) {
            Integer id = receiverIds.get(e.getValue());
            // transport-wide-cc is kept (renumbered) only to carry the SFU's own per-receiver sequence
            boolean kept = FORWARDED_EXTENSIONS.contains(e.getValue())
                    || ExtensionUri.TRANSPORT_WIDE_CC.uri().equals(e.getValue());
            if (id != null && kept && e.getKey() > 0 && e.getKey() < 256) {
                map[e.getKey()] = (byte) (int) id;
            }
        }
        return map;
    }

    /** receiver media pt -> receiver RTX pt, by codec key. */
    private static byte[] rtxPayloadTypeMap(Map<String, Integer> payloadTypes, Map<String, Integer> rtxPayloadTypes) {
        byte[] map = new byte[128];
        java.util.Arrays.fill(map, (byte) -1);
        for (Map.Entry<String, Integer> e : rtxPayloadTypes.entrySet()) {
            Integer media = payloadTypes.get(e.getKey());
            if (media != null && media >= 0 && media < 128) map[media] = (byte) (int) e.getValue();
        }
        return map;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            stopped.await(2, TimeUnit.SECONDS);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("closing selector", e);
        }
    }
}
