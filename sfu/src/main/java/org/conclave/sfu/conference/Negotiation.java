package org.conclave.sfu.conference;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.sfu.config.SignalingConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.dtls.Fingerprint;
import org.conclave.sfu.codec.CodecId;
import org.conclave.sfu.forward.Downlink;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.sdp.Answer;
import org.conclave.sfu.sdp.AnswerBuilder;
import org.conclave.sfu.sdp.AppliedAnswer;
import org.conclave.sfu.sdp.Codec;
import org.conclave.sfu.sdp.Direction;
import org.conclave.sfu.sdp.LocalTransport;
import org.conclave.sfu.sdp.MediaDescription;
import org.conclave.sfu.sdp.Negotiated;
import org.conclave.sfu.sdp.NegotiatedMedia;
import org.conclave.sfu.sdp.NegotiationState;
import org.conclave.sfu.sdp.Offer;
import org.conclave.sfu.sdp.OfferBuilder;
import org.conclave.sfu.sdp.OutgoingSource;
import org.conclave.sfu.sdp.SdpException;
import org.conclave.sfu.sdp.SdpLimit;
import org.conclave.sfu.sdp.SdpLimits;
import org.conclave.sfu.sdp.SdpParser;
import org.conclave.sfu.sdp.SessionDescription;
import org.conclave.sfu.sdp.SsrcGroup;

/** Adapts the SDP package to the forwarding model: offers in, sources and mapping tables out. */
final class Negotiation {

    private final String fingerprint;
    private final int maxSendingMediaLines;
    private final int maxSimulcastLayers;
    private final SdpLimits sdpLimits;

    Negotiation(String fingerprint) {
        this(fingerprint, SignalingConfig.defaults());
    }

    /**
     * @param config {@code sfu.max_sending_media_lines}: every other participant receives each sending m-line as an
     *     m-line of its own, so one client's 64 would swell everyone's offers past what their answers may hold
     *     ({@code sfu.sdp_max_media_sections}); {@code sfu.max_simulcast_layers}: each receiver's layer choice scans
     *     them; the {@code sfu.sdp_*} limits bound the clients' offers and answers (the SFU's own SDP is not parsed
     *     with them)
     */
    Negotiation(String fingerprint, SignalingConfig config) {
        this.fingerprint = fingerprint;
        this.maxSendingMediaLines = config.maxSendingMediaLines();
        this.maxSimulcastLayers = config.maxSimulcastLayers();
        this.sdpLimits = config.sdpLimits();
    }

    /**
     * What the forwarding and DTLS code need from a negotiation, derived once; the endpoint keeps it for its session,
     * so it holds these two facts, not the {@link Negotiated} they come from (the m-lines' codecs and SSRCs).
     */
    record Summary(List<Fingerprint> remoteFingerprints, int midExtensionId) {}

    /** The SFU's side of one endpoint's transport; {@code candidates} name the port of the endpoint's packet thread. */
    LocalTransport local(IceCredentials credentials, long sessionId, long version, List<String> candidates) {
        return new LocalTransport(credentials.ufrag(), credentials.pwd(), fingerprint, candidates, sessionId, version)
                .withAcceptDataChannel(true);
    }

    /** Answers a client's offer: the first one ({@code previous} null) or a later one (renegotiation). */
    Answer answer(String sdpOffer, LocalTransport local, NegotiationState previous, List<Downstream> downstream) {
        try {
            SessionDescription offer = SdpParser.parse(sdpOffer, sdpLimits);
            checkBounds(offer);
            return AnswerBuilder.build(offer, local, previous, outgoing(downstream));
        } catch (SdpException e) {
            throw new SfuException(FailureReason.BAD_SDP, "the offer cannot be used: " + e.getMessage(), e.limit());
        }
    }

    /** What one participant may publish: {@code sfu.max_sending_media_lines}, {@code sfu.max_simulcast_layers}. */
    private void checkBounds(SessionDescription offer) {
        long sending = offer.media().stream().filter(m -> m.isRtp() && m.port() != 0
                && m.effectiveDirection().sends()).count();
        if (sending > maxSendingMediaLines) {
            throw new SfuException(FailureReason.BAD_SDP, "the offer sends " + sending + " media tracks (m-lines);"
                    + " one participant may send at most " + maxSendingMediaLines + " (this server's sfu."
                    + SdpLimit.MAX_SENDING_MEDIA_LINES.key() + ")", SdpLimit.MAX_SENDING_MEDIA_LINES);
        }
        for (MediaDescription m : offer.media()) {
            int layers = m.rids().size();
            for (SsrcGroup g : m.ssrcGroups()) {
                if (SsrcGroup.SIM.equals(g.semantics())) layers = Math.max(layers, g.ssrcs().size());
            }
            if (layers > maxSimulcastLayers) {
                throw new SfuException(FailureReason.BAD_SDP, "the m-line " + m.mid() + " offers " + layers
                        + " simulcast layers; at most " + maxSimulcastLayers + " are accepted (this server's sfu."
                        + SdpLimit.MAX_SIMULCAST_LAYERS.key() + ")", SdpLimit.MAX_SIMULCAST_LAYERS);
            }
        }
    }

    Offer reoffer(NegotiationState state, LocalTransport local, List<Downstream> downstream) {
        List<OutgoingSource> out = outgoing(downstream);
        try {
            return OfferBuilder.build(state, local, out);
        } catch (SdpException e) {
            throw new SfuException(FailureReason.INTERNAL, "could not build a re-offer: " + e.getMessage());
        }
    }

    private static List<OutgoingSource> outgoing(List<Downstream> downstream) {
        List<OutgoingSource> out = new ArrayList<>();
        for (Downstream d : downstream) {
            Source s = d.source;
            out.add(new OutgoingSource(d.mid, s.kind() == MediaKind.AUDIO
                    ? org.conclave.sfu.sdp.MediaKind.AUDIO : org.conclave.sfu.sdp.MediaKind.VIDEO,
                    s.outSsrc(), s.rtxOutSsrc() != 0 ? s.rtxOutSsrc() : null, s.streamId(), s.trackId(), s.cname(), d.active));
        }
        return out;
    }

    AppliedAnswer acceptAnswer(Offer offer, String sdpAnswer) {
        try {
            return OfferBuilder.applyAnswer(offer, SdpParser.parse(sdpAnswer, sdpLimits));
        } catch (SdpException e) {
            throw new SfuException(FailureReason.BAD_SDP, "the answer cannot be used: " + e.getMessage(), e.limit());
        } catch (IllegalArgumentException e) {
            throw new SfuException(FailureReason.BAD_SDP, "the answer cannot be used: " + e.getMessage());
        }
    }

    static Summary summarize(Negotiated n) {
        int midId = 0;
        for (NegotiatedMedia m : n.upstream()) {
            Integer mid = m.extensionId(org.conclave.sfu.rtp.ExtensionUri.MID.uri());
            if (mid != null && midId == 0) midId = mid;
        }
        List<Fingerprint> fingerprints = new ArrayList<>();
        for (org.conclave.sfu.sdp.Fingerprint f : n.remoteFingerprints()) {
            try {
                fingerprints.add(Fingerprint.parse(f.hashFunction() + " " + f.value()));
            } catch (RuntimeException e) {
                throw new SfuException(FailureReason.BAD_SDP, "the offer's a=fingerprint cannot be used: " + e.getMessage());
            }
        }
        return new Summary(List.copyOf(fingerprints), midId);
    }

    /**
     * Whether the client restarts ICE (RFC 8839 4.4.1.1.1): none of the ICE credentials it used in the last exchange
     * is in its new offer. (aiortc gives each m-line its own pair; a new m-line with a new pair is no restart.)
     */
    static boolean restartsIce(Negotiated offered, Negotiated previous) {
        if (previous.remoteIce().isEmpty() || offered.remoteIce().isEmpty()) return false;
        for (org.conclave.sfu.sdp.IceCredentials c : offered.remoteIce()) {
            if (previous.remoteIce().contains(c)) return false;
        }
        return true;
    }

    /** A receiver's payload type per codec on one downstream m-line. */
    static Map<CodecId, Integer> payloadTypes(NegotiatedMedia m) {
        Map<CodecId, Integer> pts = new HashMap<>();
        for (Codec c : m.codecs()) {
            if (!c.is("rtx")) pts.putIfAbsent(CodecId.of(c.name(), c.clockRate(), c.fmtp()), c.pt());
        }
        return pts;
    }

    /** A receiver's RTX payload type per codec on one downstream m-line (codecs negotiated with RTX only). */
    static Map<CodecId, Integer> rtxPayloadTypes(NegotiatedMedia m) {
        Map<CodecId, Integer> pts = new HashMap<>();
        for (Codec c : m.codecs()) {
            if (!c.is("rtx") && c.rtxPt() != null) pts.putIfAbsent(CodecId.of(c.name(), c.clockRate(), c.fmtp()), c.rtxPt());
        }
        return pts;
    }

    /** Whether the receiver accepted generic NACK on the m-line (then the SFU answers its NACKs). */
    static boolean nack(NegotiatedMedia m) {
        for (Codec c : m.codecs()) {
            for (org.conclave.sfu.sdp.RtcpFb fb : c.rtcpFbs()) {
                if (fb.type().equals("nack") && fb.subtype() == null) return true;
            }
        }
        return false;
    }

    /** Everything the forwarding needs about one accepted downstream m-line. */
    static Downlink downlink(NegotiatedMedia m) {
        return new Downlink(payloadTypes(m), rtxPayloadTypes(m), extensionIds(m),
                nack(m));
    }

    /** A receiver's header extension id per URI on one downstream m-line. */
    static Map<String, Integer> extensionIds(NegotiatedMedia m) {
        Map<String, Integer> ids = new HashMap<>();
        m.extensions().forEach((id, uri) -> ids.putIfAbsent(uri, id));
        return ids;
    }

    /** One source per accepted upstream audio/video m-line on which the client sends. */
    static List<Source> sources(String endpointId, String participantId, Negotiated n, SecureRandom random,
            List<Source> existing) {
        List<Source> out = new ArrayList<>();
        for (NegotiatedMedia m : n.upstream()) {
            if (m.kind() != org.conclave.sfu.sdp.MediaKind.AUDIO && m.kind() != org.conclave.sfu.sdp.MediaKind.VIDEO) {
                continue;
            }
            if (m.remoteDirection() != Direction.SENDRECV && m.remoteDirection() != Direction.SENDONLY) continue;
            Map<Integer, CodecId> codecs = new LinkedHashMap<>();
            int clockRate = 0;
            for (Codec c : m.codecs()) {
                if (c.is("rtx")) continue; // repair streams are not forwarded as media
                codecs.put(c.pt(), CodecId.of(c.name(), c.clockRate(), c.fmtp()));
                if (clockRate == 0) clockRate = c.clockRate();
            }
            if (codecs.isEmpty()) continue;
            Set<Long> rtx = new java.util.HashSet<>();
            Map<Long, Long> rtxSsrcs = new HashMap<>();
            long[] layerSsrcs = new long[0];
            for (SsrcGroup g : m.ssrcGroups()) {
                if (SsrcGroup.FID.equals(g.semantics()) && g.ssrcs().size() > 1) {
                    rtx.addAll(g.ssrcs().subList(1, g.ssrcs().size()));
                    rtxSsrcs.put(g.ssrcs().get(1), g.ssrcs().get(0));
                }
                if (SsrcGroup.SIM.equals(g.semantics()) && g.ssrcs().size() > 1 && layerSsrcs.length == 0) {
                    layerSsrcs = g.ssrcs().stream().mapToLong(Long::longValue).toArray();
                }
            }
            Map<Integer, Integer> rtxPts = new HashMap<>();
            boolean nack = false;
            boolean tmmbr = false;
            for (Codec c : m.codecs()) {
                if (c.is("rtx")) continue;
                if (c.rtxPt() != null) rtxPts.put(c.rtxPt(), c.pt());
                for (org.conclave.sfu.sdp.RtcpFb fb : c.rtcpFbs()) {
                    if (fb.type().equals("nack") && fb.subtype() == null) nack = true;
                    if (fb.type().equals("ccm") && "tmmbr".equals(fb.subtype())) tmmbr = true;
                }
            }
            long[] declared = m.ssrcs().stream().filter(s -> !rtx.contains(s)).mapToLong(Long::longValue).toArray();
            String streamId = m.msid() != null ? m.msid().streamId() : "conclave-" + endpointId;
            String trackId = m.msid() != null && m.msid().trackId() != null ? m.msid().trackId() : endpointId + "-" + m.mid();
            MediaKind kind = m.kind() == org.conclave.sfu.sdp.MediaKind.AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
            Source same = existing.stream().filter(e -> e.mid().equals(m.mid()) && e.kind() == kind).findFirst().orElse(null);
            if (same != null) {
                // Renegotiation keeps a source (and its SSRC toward every receiver) as long as its m-line lives.
                out.add(same);
                continue;
            }
            long outSsrc = random.nextInt() & 0xFFFFFFFFL;
            long rtxOutSsrc = kind == MediaKind.VIDEO ? random.nextInt() & 0xFFFFFFFFL : 0;
            boolean video = kind == MediaKind.VIDEO;
            out.add(new Source(endpointId, participantId, m.mid(), kind, clockRate, outSsrc, streamId, trackId,
                    "conclave-" + endpointId, Map.copyOf(codecs), Map.copyOf(m.extensions()), declared,
                    video ? m.rids() : List.of(), video ? layerSsrcs : new long[0], Map.copyOf(rtxPts),
                    Map.copyOf(rtxSsrcs), video && nack, video && tmmbr, rtxOutSsrc));
        }
        return out;
    }
}
