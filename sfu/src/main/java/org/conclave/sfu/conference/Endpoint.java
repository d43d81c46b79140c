package org.conclave.sfu.conference;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.datachannel.EndpointDataChannels;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.dtls.Fingerprint;
import org.conclave.sfu.forward.EndpointMedia;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.room.RoomTrack;
import org.conclave.sfu.sdp.Answer;
import org.conclave.sfu.sdp.AppliedAnswer;
import org.conclave.sfu.sdp.LocalTransport;
import org.conclave.sfu.sdp.MediaDescription;
import org.conclave.sfu.sdp.NegotiatedMedia;
import org.conclave.sfu.sdp.NegotiationState;
import org.conclave.sfu.sdp.Offer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint (one client connection) on the control thread: its offer/answer exchanges ({@link Signaling}), the
 * sources it publishes, the m-lines the SFU sends it ({@link Downstream}), what it asked to receive, and the stream
 * metadata it was told. Media changes go to the packet thread through {@link EndpointContext#worker()}.
 */
final class Endpoint implements Signaling.Port {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    final String id;
    final Conference conference;
    final String participantId;
    final EndpointListener listener;
    /** Its media was refused as not end-to-end encrypted at least once (the log says so once). */
    boolean mediaRefusedLogged;
    final EndpointMedia media;
    private final EndpointContext context;
    /** The SFU's ICE candidates for this endpoint: they name its packet thread's port. */
    private final List<String> candidates;
    private final long sessionId;
    private final Signaling signaling;

    /** The SFU's ICE credentials; new ones after each ICE restart the client asks for. */
    private IceCredentials credentials;
    private Negotiation.Summary negotiated;
    private List<Source> sources = List.of();
    private final Downstreams downstream = new Downstreams();
    /** What this endpoint asked for of each sender track ("streamId/trackId"), applied when it receives it. */
    private final Map<String, VideoQuality> requestedQuality = new HashMap<>();
    /** The stream metadata the client was last told (with an SDP, or on its own). */
    private Map<String, StreamMetadata> toldStreams = Map.of();
    DtlsServerSession dtls;
    /** Made with the first answer, before DTLS starts (so DTLS callbacks find it). */
    EndpointDataChannels dataChannels;

    Endpoint(String id, Conference conference, String participantId, EndpointListener listener,
            IceCredentials credentials, EndpointMedia media, EndpointContext context, List<String> candidates) {
        this.candidates = List.copyOf(candidates);
        this.id = id;
        this.conference = conference;
        this.participantId = participantId;
        this.listener = listener;
        this.credentials = credentials;
        this.media = media;
        this.context = context;
        this.sessionId = context.random().nextLong() & Long.MAX_VALUE;
        this.signaling = new Signaling(context.clock(), context.offerAnswerTimeout(), this);
    }

    // ---------------------------------------------------------------- offers and answers

    /**
     * Answers the client's offer and applies it: its sources, its data channel, a new ICE generation if it restarts
     * ICE, and the metadata it gives of its own streams. Refused offers change nothing.
     */
    SfuDescription applyOffer(String sdpOffer, Map<String, StreamMetadata> metadata) {
        boolean first = isNew();
        Answer answer = signaling.answerOffer(sdpOffer);
        adoptCredentials(answer);
        negotiated = Negotiation.summarize(answer.negotiated());
        List<Source> previous = sources;
        sources = Negotiation.sources(id, participantId, answer.negotiated(), context.random(), previous);
        if (dataChannels == null) dataChannels = context.dataChannels().endpoint(id);
        dataChannels.negotiated(answer.negotiated().sctp());
        if (!metadata.isEmpty()) conference.room.setStreamMetadata(id, metadata);
        publishSources(previous, first);
        return describe(answer.sdp(), answer.state().downstreamMids());
    }

    /** Its sources changed (or it is new): the packet thread, the room and the other endpoints learn them. */
    private void publishSources(List<Source> previous, boolean first) {
        context.worker().setUpstream(id, sources, negotiated.midExtensionId());
        conference.room.setTracks(id, sources.stream().map(s -> new RoomTrack(s.streamId(), s.trackId(), s.kind()))
                .toList());
        conference.publishSources(this, previous, first);
    }

    /**
     * Applies the client's answer to the SFU's offer: forwarding starts (or stops) on the m-lines it accepted, and a
     * track it no longer sends (its answer turned the m-line recvonly or inactive) ends as a source.
     */
    void applyAnswer(String sdpAnswer) {
        AppliedAnswer accepted = signaling.acceptAnswer(sdpAnswer);
        List<Source> previous = sources;
        // an answer can end a track but not start one (the client offers for that)
        List<Source> kept = Negotiation.sources(id, participantId, accepted.negotiated(), context.random(), previous)
                .stream().filter(previous::contains).toList();
        if (kept.size() != previous.size()) {
            sources = kept;
            publishSources(previous, false);
        }
        Set<String> offered = accepted.state().downstreamMids();
        for (Downstream d : downstream.list()) {
            if (!offered.contains(d.mid)) continue; // added while the offer was out: the next offer carries it
            NegotiatedMedia m = accepted.negotiated().media(d.mid);
            // Declined by the client (port 0 now or earlier): not forwarded, and not offered again and again.
            // Only where the offer sent (a reused line: once an offer carried it sending) and the answer receives.
            boolean wanted = d.active && m != null && !accepted.rejectedDownstreamMids().contains(d.mid)
                    && Downstreams.flows(m);
            if (wanted && !d.subscribed) {
                d.subscribed = true;
                d.quality = requestedQuality.getOrDefault(key(d.source.streamId(), d.source.trackId()), d.quality);
                context.worker().subscribe(id, d.source, Negotiation.downlink(m), d.quality);
            } else if (!wanted && d.subscribed) {
                d.subscribed = false;
                context.worker().unsubscribe(id, d.source);
            }
        }
    }

    /** Makes an offer if one is due (see {@link Signaling}); throws {@link SfuException} if it cannot be built. */
    void pollSignaling() {
        signaling.poll();
    }

    /** ICE and DTLS are up: from now on the SFU may offer. */
    void connected() {
        signaling.connected();
    }

    boolean isNew() {
        return signaling.phase() == Signaling.Phase.NEW;
    }

    boolean isClosed() {
        return signaling.isClosed();
    }

    /** The endpoint is gone: nothing more is sent or accepted. */
    void close() {
        signaling.close();
    }

    /** How its offers and answers went, for the log. */
    String signalingSummary() {
        return signaling.summary();
    }

    @Override
    public Answer answer(String sdpOffer, NegotiationState previous, long version) {
        Answer answer = context.negotiation().answer(sdpOffer, local(credentials, version), previous,
                downstream.list());
        if (previous != null && Negotiation.restartsIce(answer.negotiated(), previous.negotiated())) {
            // RFC 8839 4.4.1.1.1: new client credentials ask for new ones of ours too.
            answer = context.negotiation().answer(sdpOffer, local(IceCredentials.random(), version), previous,
                    downstream.list());
        }
        Negotiation.Summary summary = Negotiation.summarize(answer.negotiated());
        if (previous != null && !summary.remoteFingerprints().equals(negotiated.remoteFingerprints())) {
            throw new SfuException(FailureReason.BAD_SDP, "a new offer must keep the DTLS fingerprint of the session");
        }
        conference.refuseTakenTracks(this, answer.negotiated());
        return answer;
    }

    @Override
    public Offer offer(NegotiationState completed, long version) {
        return context.negotiation().reoffer(completed, local(credentials, version), downstream.list());
    }

    @Override
    public AppliedAnswer accept(Offer offer, String sdpAnswer) {
        return context.negotiation().acceptAnswer(offer, sdpAnswer);
    }

    @Override
    public boolean differsFrom(NegotiationState completed) {
        return downstream.differsFrom(completed);
    }

    @Override
    public void send(Offer offer) {
        listener.onOffer(id, describe(offer.sdp(), offer.downstreamMids()));
    }

    private LocalTransport local(IceCredentials ice, long version) {
        return context.negotiation().local(ice, sessionId, version, candidates);
    }

    /** After an ICE restart the answer carries new credentials: the packet thread learns them. */
    private void adoptCredentials(Answer answer) {
        for (MediaDescription m : answer.description().media()) {
            if (m.port() == 0 || m.iceUfrag() == null) continue;
            if (!m.iceUfrag().equals(credentials.ufrag())) {
                LOG.info("endpoint {} restarts ICE: new SFU ufrag {} (was {})", id, m.iceUfrag(), credentials.ufrag());
                credentials = new IceCredentials(m.iceUfrag(), m.icePwd());
                context.worker().restartIce(id, credentials);
            }
            return;
        }
    }

    // ---------------------------------------------------------------- what the SFU sends this endpoint

    /** The SFU sends this endpoint a new source (another participant's); the next offer carries it. */
    void addDownstream(Source source) {
        downstream.add(source, signaling.completed());
        signaling.sourcesChanged();
    }

    /** Stops sending the matching sources; their m-lines turn inactive with the next offer. */
    void stopSending(Predicate<Source> which) {
        if (downstream.stopSending(which)) signaling.sourcesChanged();
    }

    /** The client's DTLS certificate fingerprints, from its first offer. */
    List<Fingerprint> remoteFingerprints() {
        return negotiated.remoteFingerprints();
    }

    /** The sources this endpoint publishes now. */
    List<Source> sources() {
        return sources;
    }

    /** Records what this endpoint wants of a track (it may not receive it yet) and applies it where it does. */
    void requestVideoQuality(String streamId, String trackId, VideoQuality quality, String reason) {
        requestedQuality.put(key(streamId, trackId), quality);
        Downstream d = downstream.video(streamId, trackId);
        if (d == null) return;
        d.quality = quality;
        if (d.subscribed) context.worker().setVideoQuality(id, d.source, quality, reason);
    }

    /** Whether this endpoint receives a live video m-line of the track (as it sees it: msid stream and track id). */
    boolean receivesVideo(String streamId, String trackId) {
        return downstream.video(streamId, trackId) != null;
    }

    private static String key(String streamId, String trackId) {
        return streamId + "/" + trackId;
    }

    // ---------------------------------------------------------------- stream metadata

    /**
     * An SDP for the client with the metadata of every stream the SFU sends in it (keyed by the msid stream id the
     * client sees), as the senders' rooms describe them now.
     */
    private SfuDescription describe(String sdp, Set<String> mids) {
        downstream.described(mids);
        toldStreams = streams(downstream.describedMids());
        return new SfuDescription(sdp, streams(mids));
    }

    /** A sender's metadata changed: tells the client if what it receives now is described differently. */
    void refreshStreamMetadata() {
        if (signaling.isClosed() || downstream.describedMids().isEmpty()) return;
        Map<String, StreamMetadata> now = streams(downstream.describedMids());
        if (now.equals(toldStreams)) return;
        toldStreams = now;
        listener.onStreamMetadata(id, now);
    }

    private Map<String, StreamMetadata> streams(Set<String> mids) {
        Map<String, StreamMetadata> out = new LinkedHashMap<>();
        for (Downstream d : downstream.list()) {
            if (!d.active || !mids.contains(d.mid)) continue;
            Source s = d.source;
            out.computeIfAbsent(s.streamId(), stream -> {
                StreamMetadata m = conference.room.describeStream(s.endpointId(), stream);
                return m != null ? m : new StreamMetadata(StreamMetadata.Purpose.USERMEDIA, false, false,
                        s.participantId());
            });
        }
        return Collections.unmodifiableMap(out);
    }
}
