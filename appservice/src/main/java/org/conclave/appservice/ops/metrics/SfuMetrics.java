package org.conclave.appservice.ops.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.sfu.conference.ConferenceSummary;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.datachannel.DataChannelStats;
import org.conclave.sfu.forward.IceTcpStats;
import org.conclave.sfu.forward.MediaSample;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.sfu.ops.ControlCounters;
import org.conclave.sfu.room.RosterEntry;
import org.conclave.sfu.sdp.SdpLimit;

/**
 * The SFU's meters. Counters the packet thread keeps ({@link WorkerStats}, single-writer longs) are read racily at
 * scrape time; everything per endpoint (round trips, upstream loss, SRTP failures) comes from a {@link MediaSample}
 * the packet thread takes between packets every {@link #SAMPLE_INTERVAL_MS}; conferences from the control thread.
 * Nothing here adds a lock or an allocation to the packet path.
 */
public final class SfuMetrics implements AutoCloseable {
    /** How often endpoints are sampled: the resolution of the RTT and loss distributions and of the busy ratio. */
    public static final long SAMPLE_INTERVAL_MS = 5_000;
    /** An endpoint's interval counts for the loss distribution only with at least this many packets expected. */
    static final long MIN_EXPECTED_FOR_LOSS = 50;

    private final Sfu sfu;
    private final Vertx vertx;
    private final Context context;
    private final long timer;
    private final AtomicLong conferences = new AtomicLong();
    private final AtomicLong endpoints = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong srtpFailures = new AtomicLong();
    private final AtomicLong unknownSsrc = new AtomicLong();
    private final AtomicLong malformedMedia = new AtomicLong();
    private volatile double busyRatio;
    private final DistributionSummary rtt;
    private final DistributionSummary loss;
    // Sampler state, on this object's context only.
    private final Map<String, MediaSample.Endpoint> previous = new HashMap<>();
    private long lastIdleNanos;
    private long lastWallNanos;

    public SfuMetrics(Sfu sfu, MeterRegistry registry, Vertx vertx) {
        this.sfu = sfu;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        registerPacketCounters(registry, sfu.packetStats());
        registerSendCounters(registry, sfu.packetStats());
        registerControlCounters(registry, sfu.operations().counters());
        registerDataChannelCounters(registry, sfu.conferences().dataChannels().stats());
        registerIceTcpCounters(registry, sfu.tcpStats());
        counter(registry, "conclave.sfu.control.messages.refused", "Clients' control messages refused unread (too"
                + " large, nested too deep, malformed, unknown type)", sfu.conferences(),
                ConferenceService::controlMessagesRefused);
        Gauge.builder("conclave.sfu.conferences", conferences, AtomicLong::get)
                .description("Conferences with at least one endpoint").register(registry);
        Gauge.builder("conclave.sfu.endpoints", endpoints, AtomicLong::get)
                .description("Endpoints (participant connections)").register(registry);
        Gauge.builder("conclave.sfu.endpoints.waiting", waiting, AtomicLong::get)
                .description("Endpoints held in a waiting room").register(registry);
        Gauge.builder("conclave.sfu.draining", sfu.operations(), o -> o.draining() ? 1 : 0)
                .description("1 while the node drains (refuses new endpoints)").register(registry);
        Gauge.builder("conclave.sfu.packet.thread.busy.ratio", this, m -> m.busyRatio)
                .description("Share of wall time the packet threads were not waiting for datagrams (their mean)").register(registry);
        rtt = DistributionSummary.builder("conclave.sfu.endpoint.rtt").baseUnit("seconds")
                .description("Round-trip time to each receiver, from RTCP report blocks, one observation per endpoint"
                        + " per sample")
                .serviceLevelObjectives(0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6).register(registry);
        loss = DistributionSummary.builder("conclave.sfu.upstream.loss.ratio")
                .description("Share of packets lost on the way from each sender to the SFU, per endpoint per sample")
                .serviceLevelObjectives(0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5).register(registry);
        lastWallNanos = System.nanoTime();
        lastIdleNanos = sfu.packetStats().idleNanos();
        timer = vertx.setPeriodic(SAMPLE_INTERVAL_MS, id -> context.runOnContext(v -> sample()));
    }

    private void registerPacketCounters(MeterRegistry r, WorkerStats s) {
        counter(r, "conclave.sfu.datagrams.received", "Datagrams received on the media socket", s,
                WorkerStats::datagramsReceived);
        counter(r, "conclave.sfu.datagrams.sent", "Datagrams sent on the media socket", s, WorkerStats::datagramsSent);
        FunctionCounter.builder("conclave.sfu.received", s, x -> x.bytesReceived()).baseUnit("bytes")
                .description("UDP payload bytes received on the media socket").register(r);
        counter(r, "conclave.sfu.ice.restarts", "ICE restarts completed (new credentials in use)", s,
                WorkerStats::iceRestarts);
        counter(r, "conclave.sfu.ice.address.changes",
                "Clients whose media moved to another address they validated (no new call)", s,
                WorkerStats::addressChanges);
        FunctionCounter.builder("conclave.sfu.piped", s, x -> x.pipedOut()).baseUnit("packets")
                .description("Packets a packet thread handed to another (once per packet and thread)").register(r);
        FunctionCounter.builder("conclave.sfu.sent", s, x -> x.bytesSent()).baseUnit("bytes")
                .description("UDP payload bytes sent on the media socket").register(r);
        Map<String, ToLongFunction<WorkerStats>> drops = new java.util.LinkedHashMap<>();
        drops.put("unauthenticated", WorkerStats::unauthenticatedDrops);
        drops.put("not_ready", WorkerStats::notReadyDrops);
        drops.put("malformed", WorkerStats::malformedDrops);
        drops.put("stun_unknown_ufrag", WorkerStats::stunUnknownUfrag);
        drops.put("stun_rejected", WorkerStats::stunRejected);
        drops.put("stun_flood", WorkerStats::stunFloodDrops);
        drops.put("dtls_flood", WorkerStats::dtlsFloodDrops);
        drops.put("pipe_full", WorkerStats::pipeDrops);
        drops.put("codec", WorkerStats::codecDrops);
        drops.put("rewriter", WorkerStats::rewriterDrops);
        drops.put("inactive_stream", WorkerStats::inactiveStreamDrops);
        drops.put("e2ee", WorkerStats::e2eeDrops);
        drops.put("held_or_muted", WorkerStats::heldOrMutedDrops);
        drops.put("send_buffer_full", WorkerStats::sendDrops);
        drops.put("tcp_write_buffer_full", WorkerStats::tcpWriteBufferDrops);
        drops.put("srtp_protect", WorkerStats::srtpProtectDrops);
        drops.put("send_error", WorkerStats::sendErrors);
        drops.put("internal_error", WorkerStats::internalErrors);
        drops.forEach((reason, f) -> FunctionCounter.builder("conclave.sfu.drops", s, x -> f.applyAsLong(x))
                .tag("reason", reason).description("Packets dropped, by reason").register(r));
        // Per-endpoint drops, accumulated from samples.
        FunctionCounter.builder("conclave.sfu.drops", srtpFailures, AtomicLong::get).tag("reason", "srtp_auth")
                .description("Packets dropped, by reason").register(r);
        FunctionCounter.builder("conclave.sfu.drops", unknownSsrc, AtomicLong::get).tag("reason", "unknown_ssrc")
                .description("Packets dropped, by reason").register(r);
        FunctionCounter.builder("conclave.sfu.drops", malformedMedia, AtomicLong::get).tag("reason", "malformed_media")
                .description("Packets dropped, by reason").register(r);
        Map<String, ToLongFunction<WorkerStats>> rtcp = new java.util.LinkedHashMap<>();
        rtcp.put("remb_tmmbr", WorkerStats::rateRequests);
        rtcp.put("pli", WorkerStats::keyFrameRequestsSent);
        rtcp.put("nack", WorkerStats::upstreamNacks);
        rtcp.put("transport_cc", WorkerStats::transportFeedbackSent);
        rtcp.forEach((type, f) -> FunctionCounter.builder("conclave.sfu.rtcp.sent", s, x -> f.applyAsLong(x))
                .tag("type", type).description("RTCP rate-control and repair requests sent to senders").register(r));
        counter(r, "conclave.sfu.retransmissions", "Packets resent to receivers from the NACK caches", s,
                WorkerStats::retransmissions);
        counter(r, "conclave.sfu.nack.misses", "NACKed packets no longer cached", s, WorkerStats::nackMisses);
        counter(r, "conclave.sfu.probe.packets", "RTX copies sent to probe receivers' downlinks", s,
                WorkerStats::probePackets);
        counter(r, "conclave.sfu.rtx.received", "RTX packets received from senders", s, WorkerStats::rtxReceived);
        FunctionCounter.builder("conclave.sfu.packet.thread.idle", s, x -> x.idleNanos() / 1e9).baseUnit("seconds")
                .description("Time the packet thread waited for datagrams").register(r);
    }

    /**
     * How UDP sends are batched (sfu.udp_send): with gso what the packet threads sent, with direct what gso would
     * have joined, from the same counters ({@code SendRuns.count}).
     */
    private static void registerSendCounters(MeterRegistry r, WorkerStats s) {
        counter(r, "conclave.sfu.udp.send.batches", "Batches of UDP datagrams flushed (gso); loop turns that sent"
                + " UDP datagrams (direct)", s, WorkerStats::sendTurns);
        counter(r, "conclave.sfu.udp.send.runs", "Per batch and receiver, runs of equal-length datagrams and lone"
                + " datagrams: UDP sends made (gso) or that gso would make (direct)", s, WorkerStats::sendRuns);
        counter(r, "conclave.sfu.udp.send.joined.runs", "Runs of two datagrams or more: GSO sends (gso) or sends gso"
                + " would join (direct)", s, WorkerStats::joinedRuns);
        Map<String, ToLongFunction<WorkerStats>> byLength = new java.util.LinkedHashMap<>();
        byLength.put("2", WorkerStats::joinedIn2);
        byLength.put("3_4", WorkerStats::joinedIn3To4);
        byLength.put("5_8", WorkerStats::joinedIn5To8);
        byLength.put("9_up", WorkerStats::joinedIn9Up);
        byLength.forEach((length, f) -> FunctionCounter.builder("conclave.sfu.udp.send.joined.datagrams", s,
                        x -> f.applyAsLong(x)).tag("run_length", length)
                .description("Datagrams in runs of two or more, by the run's length (their sum over joined runs:"
                        + " datagrams per GSO send)").register(r));
        counter(r, "conclave.sfu.udp.gso.fallbacks", "GSO sends the kernel refused, then sent datagram by datagram",
                s, WorkerStats::gsoFallbacks);
        counter(r, "conclave.sfu.udp.gso.segment.changes", "System calls that changed a socket's GSO segment size (a"
                + " run of another length, or a lone datagram longer than the segment)", s,
                WorkerStats::gsoSegmentSets);
    }

    private static void registerControlCounters(MeterRegistry r, ControlCounters c) {
        counter(r, "conclave.sfu.endpoints.allocated", "Endpoints allocated", c, ControlCounters::allocations);
        Map<String, ToLongFunction<ControlCounters>> sdp = new java.util.LinkedHashMap<>();
        sdp.put("none", x -> x.sdpRefused(null));
        for (SdpLimit limit : SdpLimit.values()) sdp.put(limit.key(), x -> x.sdpRefused(limit));
        sdp.forEach((limit, f) -> FunctionCounter.builder("conclave.sfu.sdp.refused", c, x -> f.applyAsLong(x))
                .tag("limit", limit).description("Clients' offers and answers refused: unusable (limit none) or"
                        + " beyond the SDP limit named by its sfu. key").register(r));
        FunctionCounter.builder("conclave.sfu.endpoints.refused", c, ControlCounters::refusedDraining)
                .tag("reason", "draining").description("Allocations refused").register(r);
        FunctionCounter.builder("conclave.sfu.endpoints.refused", c, ControlCounters::refusedOther)
                .tag("reason", "other").description("Allocations refused").register(r);
        FunctionCounter.builder("conclave.sfu.dtls.handshakes", c, ControlCounters::connections).tag("outcome", "ok")
                .description("DTLS handshakes, by outcome").register(r);
        FunctionCounter.builder("conclave.sfu.dtls.handshakes", c, x -> x.failures(FailureReason.DTLS_FAILED))
                .tag("outcome", "failed").description("DTLS handshakes, by outcome").register(r);
        FunctionCounter.builder("conclave.sfu.dtls.handshakes", c,
                        x -> x.failures(FailureReason.DTLS_FINGERPRINT_MISMATCH))
                .tag("outcome", "fingerprint_mismatch").description("DTLS handshakes, by outcome").register(r);
        for (FailureReason reason : FailureReason.values()) {
            FunctionCounter.builder("conclave.sfu.endpoint.failures", c, x -> x.failures(reason))
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Endpoints that failed, by reason").register(r);
        }
        for (CloseCause cause : CloseCause.values()) {
            FunctionCounter.builder("conclave.sfu.endpoint.closes", c, x -> x.closes(cause))
                    .tag("cause", cause.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Endpoints closed, by cause").register(r);
        }
    }

    private static void registerIceTcpCounters(MeterRegistry r, IceTcpStats t) {
        counter(r, "conclave.sfu.ice.tcp.connections", "ICE-TCP connections accepted", t, IceTcpStats::accepted);
        for (IceTcpStats.CloseReason reason : IceTcpStats.CloseReason.values()) {
            FunctionCounter.builder("conclave.sfu.ice.tcp.closed", t, x -> x.closed(reason))
                    .tag("reason", reason.metricName()).description("ICE-TCP connections closed, by reason")
                    .register(r);
        }
    }

    private static void registerDataChannelCounters(MeterRegistry r, DataChannelStats d) {
        FunctionCounter.builder("conclave.sfu.datachannel.messages", d, DataChannelStats::textMessages)
                .tag("kind", "text").description("Data-channel messages received from clients").register(r);
        FunctionCounter.builder("conclave.sfu.datachannel.messages", d, DataChannelStats::binaryMessages)
                .tag("kind", "binary").description("Data-channel messages received from clients").register(r);
        counter(r, "conclave.sfu.datachannel.rate.limited", "Control messages dropped unread because their sender"
                + " exceeded sfu.room_messages_per_second", d, DataChannelStats::rateLimited);
        counter(r, "conclave.sfu.datachannel.dropped.packets", "SCTP packets dropped at a full per-endpoint backlog",
                d, DataChannelStats::packetsDropped);
        counter(r, "conclave.sfu.datachannel.errors", "Exceptions in data-channel handlers (caught): internal errors",
                d, DataChannelStats::listenerErrors);
    }

    private static <T> void counter(MeterRegistry r, String name, String description, T obj, ToLongFunction<T> f) {
        FunctionCounter.builder(name, obj, x -> f.applyAsLong(x)).description(description).register(r);
    }

    /** One sampling round (this object's context): conferences from the control thread, media from the packet one. */
    void sample() {
        long wall = System.nanoTime();
        long idle = sfu.packetStats().idleNanos();
        long elapsed = wall - lastWallNanos;
        // Idle time is summed over the packet threads: the ratio is their mean.
        int threads = Math.max(1, sfu.packetStats().parts().size());
        if (elapsed > 0) {
            busyRatio = Math.max(0, Math.min(1, 1 - (double) (idle - lastIdleNanos) / ((double) elapsed * threads)));
        }
        lastWallNanos = wall;
        lastIdleNanos = idle;
        sfu.conferences().conferenceSummaries().thenAccept(list -> context.runOnContext(v -> onConferences(list)));
        sfu.sampleMedia(sample -> context.runOnContext(v -> onMedia(sample)));
    }

    private void onConferences(List<ConferenceSummary> list) {
        conferences.set(list.size());
        endpoints.set(list.stream().mapToLong(c -> c.roster().size()).sum());
        waiting.set(list.stream().flatMap(c -> c.roster().stream()).filter(RosterEntry::waiting).count());
    }

    private void onMedia(MediaSample sample) {
        Map<String, MediaSample.Endpoint> now = new HashMap<>();
        for (MediaSample.Endpoint e : sample.endpoints()) {
            now.put(e.id(), e);
            if (e.rttMillis() >= 0) rtt.record(e.rttMillis() / 1000.0);
            MediaSample.Endpoint before = previous.get(e.id());
            long expected = e.upstreamExpected() - (before == null ? 0 : before.upstreamExpected());
            long received = e.upstreamReceived() - (before == null ? 0 : before.upstreamReceived());
            if (expected >= MIN_EXPECTED_FOR_LOSS) loss.record(Math.max(0, expected - received) / (double) expected);
            srtpFailures.addAndGet(e.srtpErrors() - (before == null ? 0 : before.srtpErrors()));
            unknownSsrc.addAndGet(e.unknownSsrcDrops() - (before == null ? 0 : before.unknownSsrcDrops()));
            malformedMedia.addAndGet(e.malformedDrops() - (before == null ? 0 : before.malformedDrops()));
        }
        previous.clear();
        previous.putAll(now);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
