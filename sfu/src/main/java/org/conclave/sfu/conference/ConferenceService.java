package org.conclave.sfu.conference;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.datachannel.DataChannels;
import org.conclave.sfu.dtls.DtlsCertificate;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.forward.EndpointMedia;
import org.conclave.sfu.e2ee.E2eeEndpointStats;
import org.conclave.sfu.forward.MediaWorker;
import org.conclave.sfu.forward.PacketTap;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.sfu.ice.CandidateParseException;
import org.conclave.sfu.ice.IceCandidates;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.room.JoinResult;
import org.conclave.sfu.room.KeepAlive;
import org.conclave.sfu.room.NegotiationSink;
import org.conclave.sfu.room.Room;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU side of the control contract and the registry of conferences and endpoints. Every call and event runs on
 * one control thread ({@link ControlThread}); media changes go to the packet thread it owns. The per-endpoint
 * offer/answer rules are {@link Signaling}'s, DTLS is wired by {@link DtlsLinks}, rooms act through
 * {@link RoomBridge}, data channels reach the rooms through {@link ControlRooms}.
 */
public final class ConferenceService implements SfuControl, NegotiationSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceService.class);
    /** Rooms (waiting-room timeouts, speaker hysteresis), unanswered offers and keep-alive pings are checked this often. */
    static final long TICK_MS = 200;

    private final SfuConfig config;
    private final NanoClock clock;
    private final MediaWorker worker;
    private final ControlThread control = new ControlThread();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Map<String, Conference> conferences = new HashMap<>();
    /** The one thread all endpoints' SCTP runs on; it also paces the ticks. */
    private final ScheduledExecutorService sctpThread = Executors.newSingleThreadScheduledExecutor(
            ControlThread.daemon("sfu-sctp"));
    private final ControlRooms rooms;
    private final DataChannels dataChannels;
    private final EndpointContext context;
    private final DtlsLinks dtls;
    private final RoomBridge roomMedia;
    private final IntFunction<List<String>> candidateLines;

    /** Makes the packet thread, given where its events go. */
    @FunctionalInterface
    public interface PacketThreadFactory {
        MediaWorker create(MediaWorker.Listener events) throws IOException;
    }

    /**
     * @param packetThread makes the packet thread; the service starts and closes it
     * @param candidateLines the SFU's ICE candidates for a packet thread's port, as put in its endpoints' answers and
     *     offers
     */
    public ConferenceService(SfuConfig config, NanoClock clock, PacketThreadFactory packetThread,
            DtlsCertificate certificate, IntFunction<List<String>> candidateLines) throws IOException {
        this.candidateLines = candidateLines;
        this.config = config;
        this.clock = clock;
        this.worker = packetThread.create(new PacketEvents(this));
        this.rooms = new ControlRooms(control, new KeepAlive(clock,
                Duration.ofMillis(config.signaling().keepAliveIntervalMs()),
                Duration.ofMillis(config.signaling().keepAliveTimeoutMs())), new RoomMembers(this));
        this.dataChannels = new DataChannels(clock, sctpThread, rooms, config.room().messagesPerSecond());
        this.context = new EndpointContext(new Negotiation(certificate.fingerprint().toSdpValue(), config.signaling()),
                worker, dataChannels, random, clock, Duration.ofMillis(config.signaling().offerAnswerTimeoutMs()));
        this.dtls = new DtlsLinks(certificate, Duration.ofMillis(config.dtlsHandshakeTimeoutMs()), worker, control,
                new DtlsEvents(this));
        this.roomMedia = new RoomBridge(worker, endpoints::get, (e, cause, reason) -> close(e, cause, null, reason));
        sctpThread.scheduleAtFixedRate(() -> control.post(this::tick), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        worker.start();
    }

    /** The endpoints' data channels: where the control protocol's handler is installed, and their counters. */
    public DataChannels dataChannels() {
        return dataChannels;
    }

    /** Clients' control messages refused unread: too large, nested too deep, malformed or unknown. */
    public long controlMessagesRefused() {
        return rooms.refusedMessages();
    }

    /** The packet thread's counters. */
    public WorkerStats packetStats() {
        return worker.stats();
    }

    /** ICE-TCP connections accepted and closed, by reason. */
    public org.conclave.sfu.forward.IceTcpStats tcpStats() {
        return worker.tcpStats();
    }

    /** Diagnostics only: sees every decrypted (hop-by-hop) RTP packet on the packet thread; null to remove. */
    public void setPacketTap(PacketTap tap) {
        worker.setTap(tap);
    }

    // ---------------------------------------------------------------- the contract

    @Override
    public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
        return control.call(request.conferenceId(), () -> {
            if (endpoints.size() >= config.maxEndpoints()) {
                throw new SfuException(FailureReason.CAPACITY, "this SFU already carries its maximum of "
                        + config.maxEndpoints() + " endpoints (sfu.max_endpoints)");
            }
            Conference conference = conferences.computeIfAbsent(request.conferenceId(), this::newConference);
            if (conference.size() >= config.maxEndpointsPerConference()) {
                throw new SfuException(FailureReason.CAPACITY, "conference " + request.conferenceId()
                        + " already has its maximum of " + config.maxEndpointsPerConference()
                        + " endpoints (sfu.max_endpoints_per_conference)");
            }
            String id = newId();
            IceCredentials credentials = IceCredentials.random();
            IceLiteAgent ice = new IceLiteAgent(credentials, clock, Duration.ofMillis(config.iceConnectTimeoutMs()),
                    Duration.ofMillis(config.iceConsentTimeoutMs()));
            EndpointMedia media = new EndpointMedia(id, conference.id, credentials.ufrag(), ice, random.nextInt(),
                    config.rateControl().estimator());
            media.limitHandshakePackets(config.handshakePacketsPerSecond());
            int thread = worker.addEndpoint(media);
            Endpoint e = new Endpoint(id, conference, request.participantId(), listener, credentials, media, context,
                    candidateLines.apply(worker.port(thread)));
            endpoints.put(id, e);
            control.bind(id, conference.id);
            conference.add(e);
            if (request.requireE2ee() && !conference.requireE2ee) requireE2ee(conference); // this one included
            else if (conference.requireE2ee) worker.requireE2ee(id);
            JoinResult joined = conference.room.join(id, request.participantId(), request.role());
            LOG.info("endpoint {} allocated in conference {} as {} ({}; {} endpoints)", id, conference.id,
                    request.role(), joined, endpoints.size());
            return new EndpointAllocation(id, conference.id);
        });
    }

    @Override
    public CompletionStage<SfuDescription> applyOffer(String endpointId, String sdpOffer,
            Map<String, StreamMetadata> metadata) {
        return control.callForEndpoint(endpointId, () -> {
            Endpoint e = require(endpointId);
            boolean first = e.isNew();
            SfuDescription answer = e.applyOffer(sdpOffer, metadata);
            if (first) dtls.start(e);
            pollLater(e.conference);
            return answer;
        });
    }

    /** SDP offers over the data channel ({@link NegotiationSink}): the same as through the contract. */
    @Override
    public CompletionStage<String> applyOffer(String endpointId, String sdpOffer) {
        return SfuControl.super.applyOffer(endpointId, sdpOffer);
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata) {
        return control.callForEndpoint(endpointId, () -> {
            Endpoint e = require(endpointId);
            e.conference.room.setStreamMetadata(endpointId, metadata);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        return control.call(conferenceId, () -> {
            Conference conference = conferences.get(conferenceId);
            return conference == null ? CompletableFuture.<Void>completedFuture(null) : requireE2ee(conference);
        }).thenCompose(applied -> applied);
    }

    /** Completes once the packet thread applied it: every packet it handles after that is checked. */
    private CompletionStage<Void> requireE2ee(Conference conference) {
        if (conference.requireE2ee) return CompletableFuture.completedFuture(null);
        conference.requireE2ee = true;
        LOG.info("conference {} now requires end-to-end-encrypted media", conference.id);
        return worker.requireE2ee(conference.members().stream().map(m -> m.id).toList());
    }

    /** What the end-to-end-encryption check did, per endpoint subject to it (see {@link E2eeEndpointStats}). */
    public CompletionStage<List<E2eeEndpointStats>> e2eeStats() {
        return worker.e2eeStats();
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        return control.callForEndpoint(endpointId, () -> {
            Endpoint e = require(endpointId);
            e.applyAnswer(sdpAnswer);
            control.post(e.conference.id, () -> poll(e));
            return null;
        });
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        return control.callForEndpoint(endpointId, () -> {
            require(endpointId);
            if (candidate != null && !candidate.isBlank()) {
                String line = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
                try {
                    IceCandidates.parse(line);
                } catch (CandidateParseException ex) {
                    throw new SfuException(FailureReason.BAD_SDP, "bad ICE candidate: " + ex.getMessage());
                }
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            VideoQuality quality) {
        return control.callForEndpoint(endpointId, () -> {
            Endpoint e = require(endpointId);
            if (!e.receivesVideo(streamId, trackId)) {
                throw new SfuException(FailureReason.NOT_FOUND, "endpoint " + endpointId
                        + " receives no video track " + streamId + "/" + trackId);
            }
            e.requestVideoQuality(streamId, trackId, quality, "subscription");
            return null;
        });
    }

    @Override
    public CompletionStage<Void> close(String endpointId, String reason, CloseCause cause) {
        return control.callForEndpoint(endpointId, () -> {
            Endpoint e = endpoints.get(endpointId);
            if (e != null) close(e, cause, null, reason);
            return null;
        });
    }

    /** For tests and metrics: how many endpoints exist now (queried on the control thread). */
    public CompletionStage<Integer> endpointCount() {
        return control.call(endpoints::size);
    }

    /** Read-only, for operators (admin API, metrics): every conference with its roster, from the control thread. */
    public CompletionStage<List<ConferenceSummary>> conferenceSummaries() {
        return control.call(() -> conferences.values().stream().map(c -> new ConferenceSummary(c.id, c.requireE2ee,
                c.room.state().locked(), c.room.roster())).toList());
    }

    /**
     * Closes every endpoint with {@link CloseCause#SHUTDOWN} and {@code detail}; completes (with how many) once every
     * listener was told, so the appservice can hang up each call before the process exits.
     */
    public CompletionStage<Integer> closeAllForShutdown(String detail) {
        return control.call(() -> {
            List<Endpoint> all = new ArrayList<>(endpoints.values());
            for (Endpoint e : all) close(e, CloseCause.SHUTDOWN, null, detail);
            return all.size();
        });
    }

    /** A snapshot of every endpoint's media counters, taken on the packet thread and handed to {@code sink}. */
    public void sampleMedia(java.util.function.Consumer<org.conclave.sfu.forward.MediaSample> sink) {
        worker.sample(sink);
    }

    // ---------------------------------------------------------------- signalling and teardown (control thread)

    private Conference newConference(String conferenceId) {
        // A waiter still connecting is turned away no sooner than the SFU would fail its connection (WaitingRoom).
        Duration connectGrace = Duration.ofMillis((long) config.iceConnectTimeoutMs() + config.dtlsHandshakeTimeoutMs());
        return new Conference(conferenceId, new Room(conferenceId, config.room(), clock, roomMedia, rooms, this,
                connectGrace));
    }

    /** Makes the offers now due, after the call in progress completed (so its answer leaves first). */
    private void pollLater(Conference conference) {
        control.post(conference.id, () -> conference.members().forEach(this::poll));
    }

    private void poll(Endpoint e) {
        if (e.isClosed()) return;
        try {
            e.pollSignaling();
        } catch (SfuException ex) {
            close(e, CloseCause.FAILURE, FailureReason.INTERNAL, "the SFU could not make an offer: " + ex.getMessage());
        }
    }

    private void tick() {
        for (Conference c : new ArrayList<>(conferences.values())) c.room.tick();
        rooms.tick();
        for (Endpoint e : new ArrayList<>(endpoints.values())) poll(e);
    }

    /**
     * Ends an endpoint for {@code cause}; a {@code failure} is reported first ({@link EndpointListener#onFailed}).
     * The others in its conference stop receiving it (their next offer says so).
     */
    private void close(Endpoint e, CloseCause cause, FailureReason failure, String detail) {
        if (e.isClosed()) return;
        e.close();
        endpoints.remove(e.id);
        control.unbind(e.id);
        Conference c = e.conference;
        c.remove(e);
        c.room.leave(e.id);
        rooms.forget(e.id);
        if (c.isEmpty()) conferences.remove(c.id);
        worker.removeEndpoint(e.id);
        // DTLS closes after the data channels flushed what the room queued last (the "disconnected" farewell); the
        // packet thread still sends the endpoint's DTLS records until then.
        DtlsServerSession session = e.dtls;
        Runnable closeDtls = () -> {
            if (session != null) session.close();
            worker.forgetClosed(e.id);
        };
        if (e.dataChannels != null) e.dataChannels.close(closeDtls);
        else closeDtls.run();
        if (failure != null) {
            LOG.info("endpoint {} failed: {} ({}; {})", e.id, failure, detail, e.signalingSummary());
            e.listener.onFailed(e.id, failure, detail);
        } else {
            LOG.info("endpoint {} closed ({}): {} ({})", e.id, cause, detail, e.signalingSummary());
        }
        e.listener.onClosed(e.id, cause, detail);
        pollLater(c);
    }

    // ---------------------------------------------------------------- for the events of the other threads

    ControlThread control() {
        return control;
    }

    Endpoint endpoint(String endpointId) {
        return endpoints.get(endpointId);
    }

    Iterable<Conference> conferences() {
        return conferences.values();
    }

    /** Ends an endpoint that failed ({@link EndpointListener#onFailed} first). */
    void fail(Endpoint e, FailureReason reason, String detail) {
        close(e, CloseCause.FAILURE, reason, detail);
    }

    /** Ends an endpoint for a reason that is no failure. */
    void end(Endpoint e, CloseCause cause, String detail) {
        close(e, cause, null, detail);
    }

    void pollNow(Endpoint e) {
        poll(e);
    }

    private Endpoint require(String endpointId) {
        Endpoint e = endpoints.get(endpointId);
        if (e == null) throw new SfuException(FailureReason.INTERNAL, "no endpoint " + endpointId + " on this SFU");
        return e;
    }

    private String newId() {
        byte[] b = new byte[9];
        random.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public void close() {
        control.runAndWait(() -> {
            for (Endpoint e : new ArrayList<>(endpoints.values())) {
                close(e, CloseCause.SHUTDOWN, null, "the SFU is shutting down");
            }
        }, 2_000);
        control.shutdown();
        dtls.shutdown();
        sctpThread.shutdownNow();
        worker.close();
    }
}
