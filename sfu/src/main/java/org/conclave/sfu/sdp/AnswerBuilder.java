package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a client's offer as an ICE-lite, DTLS-server SFU: BUNDLE and rtcp-mux required, Opus for audio, VP8 and
 * H264 (packetization-mode 1) with RTX for video, simulcast accepted. The client's m-lines carry its upstream media;
 * the SFU sends only on m-lines it created in its own re-offers, which a later client offer (renegotiation) contains
 * again and which are answered as downstream. A client may also send on such an m-line (Chromium's addTrack reuses
 * a transceiver that never sent, JSEP 5.1.x): then the SFU receives there too, and goes on sending its source. An
 * m-line the SFU cannot use is rejected with port 0, not the session.
 */
public final class AnswerBuilder {
    /** Our SCTP port and the largest data channel message we accept (the values Chromium uses). */
    public static final int SCTP_PORT = 5000;
    public static final long MAX_MESSAGE_SIZE = 262144;
    /** Streams announced on a legacy a=sctpmap line. */
    static final int LEGACY_SCTP_STREAMS = 65535;
    /** "WMS *": every msid stream counts (aiortc 1.4 ignores a=msid whose stream the semantic line does not list). */
    static final String MSID_SEMANTIC = "WMS *";

    private AnswerBuilder() {}

    /**
     * Answers the client's first offer.
     *
     * @throws SdpNegotiationException when the offer as a whole cannot be used, with a sentence saying why
     */
    public static Answer build(SessionDescription offer, LocalTransport local) {
        return build(offer, local, null, List.of());
    }

    /**
     * Answers a later offer from the client (renegotiation), keeping what the SFU sends: the m-lines the SFU created
     * are answered sendonly (inactive when their source is gone, paused, or the client does not receive), with the
     * sources' msid and SSRCs; where the client also publishes a track (it sends, with an msid or SSRCs) the SFU
     * receives it as well (sendrecv, or recvonly when it sends nothing there). A source whose mid has no m-line in
     * the offer needs a re-offer afterwards.
     *
     * @param previous the last completed exchange, or null for a first offer
     * @param sources every stream the SFU sends to this client, as for {@link OfferBuilder#build}
     * @throws SdpNegotiationException when the offer cannot be used or reorders the m-lines already negotiated
     */
    public static Answer build(SessionDescription offer, LocalTransport local, NegotiationState previous,
                               List<OutgoingSource> sources) {
        if (offer.bundle() == null || offer.bundle().isEmpty()) {
            throw new SdpNegotiationException("The offer has no a=group:BUNDLE line; this SFU needs all media bundled"
                    + " on one transport (use the default bundlePolicy, or max-bundle).");
        }
        if (previous != null) checkKeepsOrder(offer, previous);
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            if (offer.inBundle(m) && (m.port() != 0 || m.isBundleOnly())) checkTransport(offer, m, i);
        }
        Map<String, OutgoingSource> byMid = new LinkedHashMap<>();
        for (OutgoingSource src : sources) byMid.put(src.mid(), src);
        Set<String> downstream = new LinkedHashSet<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        List<MediaDescription> sections = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            boolean ours = previous != null && previous.isDownstream(m);
            if (ours) downstream.add(m.mid());
            String[] reason = new String[1];
            MediaDescription answered = answer(offer, m, local, ours, byMid.get(m.mid()), reason);
            if (answered == null) {
                rejected.put(m.mid() != null ? m.mid() : "#" + i, reason[0]);
                sections.add(Sections.rejected(m, local, Setup.PASSIVE));
            } else {
                sections.add(answered);
            }
        }
        sections = Sections.withCandidates(sections, local);
        Set<String> accepted = new LinkedHashSet<>(Sections.acceptedMids(sections));
        if (accepted.isEmpty()) {
            StringBuilder why = new StringBuilder("Nothing in the offer can be used:");
            rejected.forEach((mid, r) -> why.append(" mid ").append(mid).append(": ").append(r).append(';'));
            throw new SdpNegotiationException(why.substring(0, why.length() - 1) + ".");
        }
        Origin origin = previous != null
                ? previous.local().origin().withSessionVersion(
                        Math.max(previous.local().origin().sessionVersion() + 1, local.sessionVersion()))
                : new Origin("-", Long.toString(local.sessionId()), local.sessionVersion(), "IN", "IP4", "0.0.0.0");
        SessionDescription.Builder b = SessionDescription.builder().origin(origin)
                .bundle(offer.bundle().stream().filter(accepted::contains).distinct().toList())
                .iceLite(true).msidSemantic(MSID_SEMANTIC).extmapAllowMixed(offer.extmapAllowMixed());
        sections.forEach(b::addMedia);
        SessionDescription answer = b.build();
        NegotiationState state = new NegotiationState(answer, offer, downstream);
        return new Answer(answer, state.negotiated(), state, rejected);
    }

    /** JSEP 5.2.2: a later offer keeps every m-line it had, in place, with its mid; new ones come after. */
    private static void checkKeepsOrder(SessionDescription offer, NegotiationState previous) {
        List<MediaDescription> before = previous.remote().media();
        if (offer.media().size() < before.size()) {
            throw new SdpNegotiationException("The offer has " + offer.media().size() + " m-lines but " + before.size()
                    + " were negotiated before; m-lines can be stopped (port 0) but never removed.");
        }
        for (int i = 0; i < before.size(); i++) {
            String was = before.get(i).mid();
            String now = offer.media().get(i).mid();
            if (was != null && !was.equals(now)) {
                throw new SdpNegotiationException("The offer's m-line #" + i + " has mid " + now + " but was negotiated"
                        + " with mid " + was + "; m-lines must keep their place.");
            }
        }
    }

    /** Problems with a bundled m-line that make the whole offer unusable. */
    private static void checkTransport(SessionDescription offer, MediaDescription m, int index) {
        String what = "The offer's " + Sections.describe(m, index);
        if (m.isRtp() && !m.rtcpMux()) {
            throw new SdpNegotiationException(what + " does not use rtcp-mux; this SFU needs RTP and RTCP on one port"
                    + " (a=rtcp-mux).");
        }
        if (offer.iceUfragOf(m) == null || offer.icePwdOf(m) == null) {
            throw new SdpNegotiationException(what + " has no ICE credentials (a=ice-ufrag and a=ice-pwd).");
        }
        if (offer.fingerprintsOf(m).isEmpty()) {
            throw new SdpNegotiationException(what + " has no DTLS fingerprint (a=fingerprint), so the SFU could not"
                    + " tell the client's DTLS certificate from anyone else's.");
        }
        Setup setup = offer.setupOf(m);
        if (setup == Setup.PASSIVE || setup == Setup.HOLDCONN) {
            throw new SdpNegotiationException(what + " says a=setup:" + setup.token() + ", asking the SFU to open the"
                    + " DTLS connection; the SFU is always the DTLS server, so the offer must say a=setup:actpass or"
                    + " a=setup:active.");
        }
    }

    /** The answer section for m, or null with the reason in reason[0]. */
    private static MediaDescription answer(SessionDescription offer, MediaDescription m, LocalTransport local,
                                           boolean ours, OutgoingSource source, String[] reason) {
        if (m.mid() == null || !offer.inBundle(m)) {
            reason[0] = "it is not in the BUNDLE group";
            return null;
        }
        if (m.port() == 0 && !m.isBundleOnly()) {
            reason[0] = "the offer itself rejects it (port 0)";
            return null;
        }
        if (ours && source != null && source.kind() != m.kind()) {
            reason[0] = "the SFU sends " + source.kind() + " on it, not " + m.media();
            return null;
        }
        return switch (m.kind()) {
            case AUDIO, VIDEO -> rtp(m, local, ours, source, reason);
            case APPLICATION -> dataChannel(m, local, reason);
            case OTHER -> {
                reason[0] = "the SFU does not handle m=" + m.media() + " sections";
                yield null;
            }
        };
    }

    /**
     * An audio or video section: upstream (the client sends, the SFU receives) or, when ours, downstream (the SFU
     * sends the source, with only the header extensions the forwarding keeps).
     */
    private static MediaDescription rtp(MediaDescription m, LocalTransport local, boolean ours, OutgoingSource source,
                                        String[] reason) {
        if (!CodecPolicy.isSrtpProfile(m.proto())) {
            reason[0] = "it uses " + m.proto() + "; the SFU only speaks DTLS-SRTP (UDP/TLS/RTP/SAVPF)";
            return null;
        }
        MediaDescription.Builder b = Sections.transport(MediaDescription.builder().media(m.media()).proto(m.proto())
                .mid(m.mid()), local, Setup.PASSIVE);
        Direction direction = direction(m, ours, source);
        boolean receives = direction.receives();
        b.direction(direction).rtcpMux(true).rtcpRsize(m.rtcpRsize());
        Set<String> uris = new LinkedHashSet<>();
        for (Extmap e : m.extmaps()) {
            boolean kept = receives && CodecPolicy.UPSTREAM_EXTENSIONS.contains(e.uri())
                    || ours && CodecPolicy.downstreamExtensions(m.kind()).contains(e.uri());
            if (kept && uris.add(e.uri())) b.addExtmap(new Extmap(e.id(), e.uri()));
        }
        boolean transportCc = uris.contains(RtpHeaderExtensions.TRANSPORT_WIDE_CC);
        Set<Integer> accepted = m.kind() == MediaKind.AUDIO ? opus(m, b) : video(m, b);
        if (accepted.isEmpty()) {
            reason[0] = m.kind() == MediaKind.AUDIO ? "it offers no Opus/48000/2"
                    : "it offers neither VP8 nor H264 with packetization-mode=1";
            return null;
        }
        for (RtcpFb fb : m.rtcpFbs()) {
            boolean applies = fb.pt() == RtcpFb.ANY_PT || accepted.contains(fb.pt()) && !isRtx(m, fb.pt());
            if (applies && CodecPolicy.acceptsFeedback(m.kind(), fb, transportCc)) b.addRtcpFb(fb);
        }
        for (int pt : m.payloadTypes()) {
            if (accepted.contains(pt)) b.addFormat(Integer.toString(pt));
        }
        if (receives && m.kind() == MediaKind.VIDEO) simulcast(m, b);
        if (ours && source != null) {
            boolean rtx = accepted.stream().anyMatch(pt -> isRtx(m, pt));
            Sections.addSource(b, source, rtx);
        }
        return b.build();
    }

    /**
     * The client's m-lines: the client sends (sendrecv/sendonly) so we receive, else inactive. The SFU's m-lines: we
     * send an active source if the client receives, and receive what the client publishes there.
     */
    private static Direction direction(MediaDescription m, boolean ours, OutgoingSource source) {
        Direction offered = m.effectiveDirection();
        if (!ours) return offered.sends() ? Direction.RECVONLY : Direction.INACTIVE;
        boolean send = source != null && source.active() && offered.receives();
        return Direction.of(send, publishes(m));
    }

    /**
     * Whether the client publishes a track on an m-line the SFU created: it sends there, and says what (an msid,
     * SSRCs or simulcast rids). A transceiver that merely allows sending, with no track, publishes nothing.
     */
    private static boolean publishes(MediaDescription m) {
        return m.effectiveDirection().sends() && (m.effectiveMsid() != null || !m.ssrcValues().isEmpty()
                || m.rids().stream().anyMatch(r -> r.direction() == RidDirection.SEND));
    }

    private static boolean isRtx(MediaDescription m, int pt) {
        RtpMap map = m.rtpMap(pt);
        return map != null && CodecPolicy.isRtx(map);
    }

    /** Adds the offered Opus entries; returns their payload types. */
    private static Set<Integer> opus(MediaDescription m, MediaDescription.Builder b) {
        Set<Integer> accepted = new LinkedHashSet<>();
        for (int pt : m.payloadTypes()) {
            RtpMap map = m.rtpMap(pt);
            if (map == null || !CodecPolicy.isOpus(map) || !accepted.add(pt)) continue;
            b.addRtpMap(map);
            String params = CodecPolicy.opusParameters(m.fmtp(pt));
            if (params != null) b.addFmtp(new Fmtp(pt, params));
        }
        return accepted;
    }

    /** Adds VP8/H264 entries in offer order, then RTX entries that repair one of them; returns all their pts. */
    private static Set<Integer> video(MediaDescription m, MediaDescription.Builder b) {
        Set<Integer> primaries = new LinkedHashSet<>();
        for (int pt : m.payloadTypes()) {
            RtpMap map = m.rtpMap(pt);
            if (map != null && CodecPolicy.isForwardedVideo(map, m.fmtp(pt))) primaries.add(pt);
        }
        Set<Integer> accepted = new LinkedHashSet<>();
        for (int pt : m.payloadTypes()) {
            RtpMap map = m.rtpMap(pt);
            if (map == null || accepted.contains(pt)) continue;
            Fmtp fmtp = m.fmtp(pt);
            boolean repairsAccepted = CodecPolicy.isRtx(map) && fmtp != null && primaries.contains(fmtp.apt());
            if (!primaries.contains(pt) && !repairsAccepted) continue;
            accepted.add(pt);
            b.addRtpMap(map);
            if (fmtp != null) b.addFmtp(fmtp);
        }
        return accepted;
    }

    /** Mirrors "a=simulcast:send ..." with "recv" and a receiving a=rid for every rid the client sends. */
    private static void simulcast(MediaDescription m, MediaDescription.Builder b) {
        Simulcast offered = m.simulcast();
        if (offered == null || offered.sendList() == null) return;
        List<Rid> sent = m.rids().stream().filter(r -> r.direction() == RidDirection.SEND).toList();
        if (sent.isEmpty()) return;
        for (Rid r : sent) b.addRid(new Rid(r.id(), RidDirection.RECV, null));
        b.simulcast(Simulcast.receiving(offered.sendList()));
    }

    private static MediaDescription dataChannel(MediaDescription m, LocalTransport local, String[] reason) {
        if (!local.acceptDataChannel()) {
            reason[0] = "data channels are not enabled for this client";
            return null;
        }
        if (!CodecPolicy.isDataChannelProfile(m.proto())) {
            reason[0] = "it uses " + m.proto() + ", not a WebRTC data channel (UDP/DTLS/SCTP)";
            return null;
        }
        MediaDescription.Builder b = Sections.transport(MediaDescription.builder().media(m.media()).proto(m.proto())
                .mid(m.mid()), local, Setup.PASSIVE).maxMessageSize(MAX_MESSAGE_SIZE);
        if (m.proto().equals(CodecPolicy.LEGACY_SCTP_PROTO)) {
            b.addFormat(Integer.toString(SCTP_PORT)).addAttribute(
                    new Attribute("sctpmap", SCTP_PORT + " webrtc-datachannel " + LEGACY_SCTP_STREAMS));
        } else {
            b.formats(m.formats()).sctpPort(SCTP_PORT);
        }
        return b.build();
    }
}
