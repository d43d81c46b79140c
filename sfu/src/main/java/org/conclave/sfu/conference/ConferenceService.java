package org.conclave.sfu.conference;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
import org.conclave.sfu.dtls.DtlsSession;
import org.conclave.sfu.dtls.DtlsSettings;
import org.conclave.sfu.dtls.FailureKind;
import org.conclave.sfu.forward.EndpointMedia;
import org.conclave.sfu.forward.MediaWorker;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.ice.IceCandidates;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.room.JoinResult;
import org.conclave.sfu.room.NegotiationSink;
import org.conclave.sfu.room.Room;
import org.conclave.sfu.room.RoomMedia;
import org.conclave.sfu.room.RoomTrack;
import org.conclave.sfu.sdp.Answer;
import org.conclave.sfu.sdp.AppliedAnswer;
import org.conclave.sfu.sdp.NegotiatedMedia;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU side of the control contract. All signalling state lives on one control thread (never the packet thread):
 * calls are queued to it, and it hands media changes to the packet thread as tasks.
 */
public final class ConferenceService implements SfuControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceService.class);

    private final SfuConfig config;
    private final NanoClock clock;
    private final MediaWorker worker;
    private final DtlsCertificate certificate;
    private final List<String> candidateLines;
    private final ExecutorService control;
    private final ExecutorService dtlsThreads;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, EndpointSession> endpoints = new HashMap<>();
    private final Map<String, Conference> conferences = new HashMap<>();
    private final Negotiation negotiation;
    private final DtlsSettings dtlsSettings;
    /** The one thread all endpoints' SCTP runs on. */
    private final java.util.concurrent.ScheduledExecutorService sctpThread;
    private final DataChannels dataChannels;
    private final ControlRooms rooms;
    /** Rooms check waiting-room timeouts and speaker hysteresis this often. */
    static final long ROOM_TICK_MS = 200;

    public ConferenceService(SfuConfig config, NanoClock clock, MediaWorker worker, DtlsCertificate certificate,
            List<String> candidateLines) {
        this.config = config;
        this.clock = clock;
        this.worker = worker;
        this.certificate = certificate;
        this.candidateLines = List.copyOf(candidateLines);
        this.control = Executors.newSingleThreadExecutor(daemon("sfu-control"));
        this.dtlsThreads = Executors.newCachedThreadPool(daemon("sfu-dtls"));
        this.negotiation = new Negotiation(certificate.fingerprint().toSdpValue(), candidateLines);
        this.dtlsSettings = new DtlsSettings(java.time.Duration.ofMillis(config.dtlsHandshakeTimeoutMs()),
                DtlsSettings.DEFAULT_INITIAL_RETRANSMIT, DataChannels.DTLS_RECEIVE_QUEUE_PACKETS,
                DtlsSettings.DEFAULT.srtpProfiles());
        this.sctpThread = Executors.newSingleThreadScheduledExecutor(daemon("sfu-sctp"));
        this.rooms = new ControlRooms(this);
        this.dataChannels = new DataChannels(clock, sctpThread, rooms, config.room().messagesPerSecond());
        sctpThread.scheduleAtFixedRate(() -> onControlThread(this::tickRooms), ROOM_TICK_MS, ROOM_TICK_MS,
                TimeUnit.MILLISECONDS);
    }

    /** The endpoints' data channels: where the control protocol's handler is installed, and their counters. */
    public DataChannels dataChannels() {
        return dataChannels;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------- the contract

    @Override
    public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
        return onControl(() -> {
            if (endpoints.size() >= config.maxEndpoints()) {
                throw new SfuException(FailureReason.CAPACITY,
                        "this SFU already carries its maximum of " + config.maxEndpoints() + " endpoints (sfu.max_endpoints)");
            }
            Conference conference = conferences.computeIfAbsent(request.conferenceId(), this::newConference);
            if (conference.members.size() >= config.maxEndpointsPerConference()) {
                throw new SfuException(FailureReason.CAPACITY, "conference " + request.conferenceId()
                        + " already has its maximum of " + config.maxEndpointsPerConference()
                        + " endpoints (sfu.max_endpoints_per_conference)");
            }
            String id = newId();
            IceCredentials credentials = IceCredentials.random();
            IceLiteAgent ice = new IceLiteAgent(credentials, clock,
                    java.time.Duration.ofMillis(config.iceConnectTimeoutMs()),
                    java.time.Duration.ofMillis(config.iceConsentTimeoutMs()));
            EndpointMedia media = new EndpointMedia(id, conference.id, credentials.ufrag(), ice, random.nextInt(),
                    config.rateControl().estimator());
            EndpointSession session = new EndpointSession(id, conference, request.participantId(), request.role(),
                    listener, credentials, media, random.nextLong() & Long.MAX_VALUE);
            endpoints.put(id, session);
            conference.members.put(id, session);
            worker.addEndpoint(media);
            if (request.requireE2ee() && !conference.requireE2ee) {
                conference.requireE2ee = true;
                for (EndpointSession member : conference.members.values()) worker.requireE2ee(member.id);
            } else if (conference.requireE2ee) {
                worker.requireE2ee(id);
            }
            JoinResult joined = conference.room.join(id, request.participantId(), request.role());
            LOG.info("endpoint {} allocated in conference {} as {} ({}; {} endpoints)", id, conference.id,
                    request.role(), joined, endpoints.size());
            return new EndpointAllocation(id, conference.id);
        });
    }

    @Override
    public CompletionStage<SfuDescription> applyOffer(String endpointId, String sdpOffer,
            Map<String, StreamMetadata> metadata) {
        // TODO(#11): metadata of the client's streams and of the streams the SFU sends.
        return applySdpOffer(endpointId, sdpOffer).thenApply(sdp -> new SfuDescription(sdp, Map.of()));
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata) {
        // TODO(#11): relay to the other endpoints through EndpointListener.onStreamMetadata.
        return onControl(() -> {
            require(endpointId);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        return onControl(() -> {
            Conference conference = conferences.get(conferenceId);
            if (conference != null && !conference.requireE2ee) {
                conference.requireE2ee = true;
                for (EndpointSession member : conference.members.values()) worker.requireE2ee(member.id);
                LOG.info("conference {} now requires end-to-end-encrypted media", conferenceId);
            }
            return null;
        });
    }

    private CompletionStage<String> applySdpOffer(String endpointId, String sdpOffer) {
        return onControl(() -> {
            EndpointSession s = require(endpointId);
            boolean first = s.signaling == EndpointSession.Signaling.NEW;
            if (s.signaling == EndpointSession.Signaling.HAVE_LOCAL_OFFER) {
                // Glare: the SFU is the polite side. It drops its own offer, answers the client's, and offers again
                // afterwards whatever the client's offer did not already cover.
                s.pendingOffer = null;
                s.renegotiationNeeded = true;
                s.signaling = EndpointSession.Signaling.STABLE;
            }
            Answer answer = negotiation.answer(sdpOffer,
                    negotiation.local(s.credentials, s.sessionId, ++s.sessionVersion),
                    first ? null : s.state, s.downstream);
            Negotiation.Summary summary = Negotiation.summarize(answer.negotiated());
            if (!first && !summary.remoteFingerprints().equals(s.negotiated.remoteFingerprints())) {
                throw new SfuException(FailureReason.BAD_SDP, "a new offer must keep the DTLS fingerprint of the session");
            }
            List<Source> previous = s.sources;
            List<Source> next = Negotiation.sources(s.id, s.participantId, answer.negotiated(), random, previous);
            refuseTakenTracks(s, next);
            s.state = answer.state();
            s.negotiated = summary;
            if (s.dataChannels == null) s.dataChannels = dataChannels.endpoint(s.id);
            s.dataChannels.negotiated(answer.negotiated().sctp());
            s.signaling = EndpointSession.Signaling.STABLE;
            s.sources = next;
            worker.setUpstream(s.id, s.sources, summary.midExtensionId());
            s.conference.room.setTracks(s.id, s.sources.stream().map(src -> new RoomTrack(
                    src.streamId(), src.trackId(), src.kind())).toList());
            if (first) startDtls(s);
            publishSourceChanges(s, previous, first);
            if (!s.downstream.isEmpty() && (first || s.renegotiationNeeded)) control.execute(() -> renegotiate(s));
            return answer.sdp();
        });
    }

    /**
     * Receivers, subscriptions and spotlights name a track by its msid: a participant may not publish a track under
     * an msid another participant of the conference already uses (by accident or to hijack their subscriptions).
     */
    private static void refuseTakenTracks(EndpointSession s, List<Source> sources) {
        for (Source mine : sources) {
            for (EndpointSession other : s.conference.others(s)) {
                for (Source theirs : other.sources) {
                    if (theirs.streamId().equals(mine.streamId()) && theirs.trackId().equals(mine.trackId())) {
                        throw new SfuException(FailureReason.BAD_SDP, "the track msid " + mine.streamId() + " "
                                + mine.trackId() + " is already published by another participant of the conference");
                    }
                }
            }
        }
    }

    /** Tells every other endpoint about the sources {@code s} added or dropped; a newcomer learns everyone's. */
    private void publishSourceChanges(EndpointSession s, List<Source> previous, boolean newcomer) {
        List<Source> added = s.sources.stream().filter(src -> !previous.contains(src)).toList();
        List<Source> removed = previous.stream().filter(src -> !s.sources.contains(src)).toList();
        for (EndpointSession other : s.conference.others(s)) {
            if (other.negotiated == null) continue;
            boolean changed = false;
            for (Source src : added) {
                other.downstream.add(new Downstream(other.newDownstreamMid(), src));
                changed = true;
            }
            for (Downstream d : other.downstream) {
                if (d.active && removed.contains(d.source)) {
                    d.active = false;
                    d.subscribed = false;
                    changed = true;
                }
            }
            if (changed) renegotiate(other);
            if (newcomer) {
                for (Source src : other.sources) s.downstream.add(new Downstream(s.newDownstreamMid(), src));
            }
        }
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        return onControl(() -> {
            EndpointSession s = require(endpointId);
            if (s.signaling != EndpointSession.Signaling.HAVE_LOCAL_OFFER) {
                throw new SfuException(FailureReason.BAD_SDP, "no offer from the SFU is waiting for an answer");
            }
            AppliedAnswer accepted = negotiation.acceptAnswer(s.pendingOffer, sdpAnswer);
            java.util.Set<String> offered = s.pendingOffer.downstreamMids();
            s.state = accepted.state();
            s.pendingOffer = null;
            s.signaling = EndpointSession.Signaling.STABLE;
            for (Downstream d : s.downstream) {
                if (!offered.contains(d.mid)) {
                    // Added while this offer was out: the next offer carries it.
                    if (d.active) s.renegotiationNeeded = true;
                    continue;
                }
                NegotiatedMedia m = accepted.negotiated().media(d.mid);
                // Declined by the client (port 0 now or earlier): not forwarded, and not offered again and again.
                boolean wanted = d.active && m != null && !accepted.rejectedDownstreamMids().contains(d.mid);
                if (wanted && !d.subscribed) {
                    d.subscribed = true;
                    d.quality = s.requestedQuality.getOrDefault(d.source.streamId() + "/" + d.source.trackId(), d.quality);
                    worker.subscribe(s.id, d.source, Negotiation.downlink(m), d.quality);
                } else if (!wanted && d.subscribed) {
                    d.subscribed = false;
                    worker.unsubscribe(s.id, d.source);
                }
            }
            if (s.renegotiationNeeded) renegotiate(s);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        return onControl(() -> {
            require(endpointId);
            if (candidate != null && !candidate.isBlank()) {
                String line = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
                try {
                    IceCandidates.parse(line);
                } catch (org.conclave.sfu.ice.CandidateParseException e) {
                    throw new SfuException(FailureReason.BAD_SDP, "bad ICE candidate: " + e.getMessage());
                }
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            VideoQuality quality) {
        return onControl(() -> {
            EndpointSession s = require(endpointId);
            if (s.downstreamVideo(streamId, trackId) == null) {
                throw new SfuException(FailureReason.NOT_FOUND, "endpoint " + endpointId
                        + " receives no video track " + streamId + "/" + trackId);
            }
            requestVideoQuality(s, streamId, trackId, quality, "subscription");
            return null;
        });
    }

    /** Records what a receiver wants of a track (it may not receive it yet) and applies it where it does. */
    private void requestVideoQuality(EndpointSession s, String streamId, String trackId, VideoQuality quality,
            String reason) {
        s.requestedQuality.put(streamId + "/" + trackId, quality);
        Downstream d = s.downstreamVideo(streamId, trackId);
        if (d == null) return;
        d.quality = quality;
        if (d.subscribed) worker.setVideoQuality(s.id, d.source, quality, reason);
    }

    // ---------------------------------------------------------------- rooms (control protocol over data channels)

    private Conference newConference(String conferenceId) {
        Conference c = new Conference(conferenceId);
        c.room = new Room(conferenceId, config.room(), clock, new RoomMediaAdapter(), rooms,
                new NegotiationSink() {
                    @Override
                    public CompletionStage<String> applyOffer(String endpointId, String sdpOffer) {
                        return ConferenceService.this.applySdpOffer(endpointId, sdpOffer);
                    }

                    @Override
                    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
                        return ConferenceService.this.applyAnswer(endpointId, sdpAnswer);
                    }
                });
        return c;
    }

    /** What the rooms' decisions do to media (control thread). */
    private final class RoomMediaAdapter implements RoomMedia {
        @Override
        public void setAudioForwarded(String endpointId, boolean forwarded) {
            worker.setAudioForwarded(endpointId, forwarded);
        }

        @Override
        public void setAdmitted(String endpointId, boolean admitted) {
            worker.setHeld(endpointId, !admitted);
        }

        @Override
        public void setVideoQuality(String receiverEndpointId, String senderEndpointId, String streamId,
                String trackId, VideoQuality quality, String reason) {
            EndpointSession s = endpoints.get(receiverEndpointId);
            if (s != null) requestVideoQuality(s, streamId, trackId, quality, reason);
        }

        @Override
        public void setScreenShare(String endpointId, String streamId, String trackId, boolean screenShare) {
            EndpointSession s = endpoints.get(endpointId);
            if (s == null) return;
            for (Source src : s.sources) {
                if (src.streamId().equals(streamId) && src.trackId().equals(trackId)) {
                    worker.setScreenShare(endpointId, src.mid(), screenShare);
                }
            }
        }

        @Override
        public void disconnect(String endpointId, String reason) {
            EndpointSession s = endpoints.get(endpointId);
            if (s != null) teardown(s, null, reason);
        }
    }

    boolean hasEndpoint(String endpointId) {
        return endpoints.containsKey(endpointId);
    }

    /** A client's data-channel message (control thread). */
    void onControlMessage(String endpointId, String text) {
        EndpointSession s = endpoints.get(endpointId);
        if (s != null) s.conference.room.onMessage(endpointId, text);
    }

    private void tickRooms() {
        for (Conference c : conferences.values()) c.room.tick();
    }

    @Override
    public CompletionStage<Void> close(String endpointId, String reason, CloseCause cause) {
        return onControl(() -> {
            EndpointSession s = endpoints.get(endpointId);
            if (s != null) teardown(s, null, reason, cause);
            return null;
        });
    }

    // ---------------------------------------------------------------- events from the transport

    /** Rate control moved a receiver between thumbnail and full-res of a source (from the packet thread). */
    public void onLayerChanged(String receiverId, Source source, VideoQuality quality, String reason) {
        onControlThread(() -> {
            EndpointSession s = endpoints.get(receiverId);
            if (s == null || s.signaling == EndpointSession.Signaling.CLOSED) return;
            LOG.info("endpoint {} now gets the {} of {}/{} ({})", receiverId, quality, source.streamId(),
                    source.trackId(), reason);
            s.listener.onLayerChanged(receiverId, source.streamId(), source.trackId(), quality, reason);
            s.conference.room.onLayerChanged(receiverId, source.streamId(), source.trackId(), quality, reason);
        });
    }

    /** Mean audio levels per endpoint (packet thread, every 200 ms): the floor logic picks the active speaker. */
    public void onAudioLevels(Map<String, Integer> levelByEndpoint) {
        onControlThread(() -> {
            for (Conference c : conferences.values()) {
                Map<String, Integer> mine = new HashMap<>();
                for (String id : c.members.keySet()) {
                    Integer level = levelByEndpoint.get(id);
                    if (level != null) mine.put(id, level);
                }
                c.room.onAudioLevels(mine);
            }
        });
    }

    /** ICE timeout or consent loss, from the packet thread. */
    public void onTransportFailed(String endpointId, FailureReason reason, String detail) {
        onControlThread(() -> {
            EndpointSession s = endpoints.get(endpointId);
            if (s != null) teardown(s, reason, detail);
        });
    }

    /** Runs work on the control thread; during shutdown late callbacks (DTLS threads) are dropped quietly. */
    void onControlThread(Runnable work) {
        try {
            control.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("control thread stopped; dropping a late callback");
        }
    }

    private void startDtls(EndpointSession s) {
        DtlsServerSession dtls = new DtlsServerSession(certificate, s.negotiated.remoteFingerprints(),
                (b, off, len) -> worker.sendFromOtherThread(b, off, len, s.media.sendAddress()),
                new DtlsSession.Listener() {
                    @Override
                    public void onHandshakeComplete(org.conclave.sfu.srtp.SrtpProfile profile,
                            org.conclave.sfu.srtp.SrtpKeys keys) {
                        worker.srtpReady(s.id, new org.conclave.sfu.srtp.SrtpSession(profile, keys, true));
                        s.dataChannels.connected(s.dtls);
                        onControlThread(() -> {
                            if (s.signaling == EndpointSession.Signaling.CLOSED) return;
                            LOG.info("endpoint {} connected ({})", s.id, profile);
                            s.listener.onConnected(s.id);
                        });
                    }

                    @Override
                    public void onFailed(FailureKind kind, String detail) {
                        FailureReason reason = kind == FailureKind.FINGERPRINT_MISMATCH
                                ? FailureReason.DTLS_FINGERPRINT_MISMATCH : FailureReason.DTLS_FAILED;
                        s.dataChannels.close();
                        onControlThread(() -> {
                            if (s.signaling != EndpointSession.Signaling.CLOSED) teardown(s, reason, detail);
                        });
                    }

                    @Override
                    public void onApplicationData(byte[] b, int off, int len) {
                        s.dataChannels.receive(b, off, len); // SCTP: copied and handed to the SCTP thread
                    }

                    @Override
                    public void onClosed() {
                        s.dataChannels.close();
                        onControlThread(() -> {
                            if (s.signaling != EndpointSession.Signaling.CLOSED) teardown(s, null, "the client closed DTLS");
                        });
                    }
                }, dtlsSettings);
        s.dtls = dtls;
        worker.attachDtls(s.id, dtls);
        dtls.start(dtlsThreads);
    }

    // ---------------------------------------------------------------- renegotiation

    /** Sends the client a new offer describing what the SFU now sends it, unless an offer is already out. */
    private void renegotiate(EndpointSession s) {
        if (s.signaling == EndpointSession.Signaling.CLOSED) return;
        if (s.signaling != EndpointSession.Signaling.STABLE) {
            s.renegotiationNeeded = true;
            return;
        }
        s.renegotiationNeeded = false;
        s.sessionVersion++;
        s.pendingOffer = negotiation.reoffer(s.state, negotiation.local(s.credentials, s.sessionId, s.sessionVersion),
                s.downstream);
        s.signaling = EndpointSession.Signaling.HAVE_LOCAL_OFFER;
        String sdp = s.pendingOffer.sdp();
        s.listener.onOffer(s.id, sdp);
    }

    private void teardown(EndpointSession s, FailureReason failure, String detail) {
        // TODO(#11): CLIENT, HOST
        teardown(s, failure, detail, failure != null ? CloseCause.FAILURE : CloseCause.CONTROL);
    }

    private void teardown(EndpointSession s, FailureReason failure, String detail, CloseCause cause) {
        if (s.signaling == EndpointSession.Signaling.CLOSED) return;
        s.signaling = EndpointSession.Signaling.CLOSED;
        endpoints.remove(s.id);
        s.conference.members.remove(s.id);
        s.conference.room.leave(s.id);
        rooms.forget(s.id);
        if (s.conference.members.isEmpty()) conferences.remove(s.conference.id);
        worker.removeEndpoint(s.id);
        // DTLS closes after the data channels flushed what the room queued last (the "disconnected" farewell).
        DtlsServerSession dtls = s.dtls;
        if (s.dataChannels != null) {
            s.dataChannels.close(() -> {
                if (dtls != null) dtls.close();
            });
        } else if (dtls != null) {
            dtls.close();
        }
        for (EndpointSession other : s.conference.others(s)) {
            boolean changed = false;
            for (Downstream d : other.downstream) {
                if (d.active && d.source.endpointId().equals(s.id)) {
                    d.active = false;
                    d.subscribed = false;
                    changed = true;
                }
            }
            if (changed) renegotiate(other);
        }
        if (failure != null) {
            LOG.info("endpoint {} failed: {} ({})", s.id, failure, detail);
            s.listener.onFailed(s.id, failure, detail);
        } else {
            LOG.info("endpoint {} closed: {}", s.id, detail);
        }
        s.listener.onClosed(s.id, cause, detail);
    }

    // ---------------------------------------------------------------- plumbing

    private EndpointSession require(String endpointId) {
        EndpointSession s = endpoints.get(endpointId);
        if (s == null) throw new SfuException(FailureReason.INTERNAL, "no endpoint " + endpointId + " on this SFU");
        return s;
    }

    private <T> CompletionStage<T> onControl(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            control.execute(() -> {
                try {
                    f.complete(work.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new SfuException(FailureReason.INTERNAL, "the SFU is shutting down"));
        }
        return f;
    }

    private String newId() {
        byte[] b = new byte[9];
        random.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** For tests and metrics: how many endpoints exist now (queried on the control thread). */
    public CompletionStage<Integer> endpointCount() {
        return onControl(endpoints::size);
    }

    /** Read-only, for operators (admin API, metrics): every conference with its roster, from the control thread. */
    public CompletionStage<List<ConferenceSummary>> conferenceSummaries() {
        return onControl(() -> conferences.values().stream().map(c -> new ConferenceSummary(c.id, c.requireE2ee,
                c.room.state().locked(), c.room.roster())).toList());
    }

    /**
     * Closes every endpoint with {@link CloseCause#SHUTDOWN} and {@code detail}; completes (with how many) once every
     * listener was told, so the appservice can hang up each call before the process exits.
     */
    public CompletionStage<Integer> closeAllForShutdown(String detail) {
        return onControl(() -> {
            List<EndpointSession> all = new ArrayList<>(endpoints.values());
            for (EndpointSession s : all) teardown(s, null, detail, CloseCause.SHUTDOWN);
            return all.size();
        });
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        control.execute(() -> {
            for (EndpointSession s : new ArrayList<>(endpoints.values())) {
                teardown(s, null, "SFU shutting down", CloseCause.SHUTDOWN);
            }
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("shutdown", e);
        }
        control.shutdownNow();
        dtlsThreads.shutdownNow();
        sctpThread.shutdownNow();
    }
}
