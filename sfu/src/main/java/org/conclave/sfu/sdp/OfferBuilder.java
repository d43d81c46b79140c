package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The SFU's re-offer when the set of streams it sends to a client changes, and the check of the client's answer.
 * Existing m-lines keep their place and mid (the client's upstream ones re-offered recvonly, rejected ones stay at
 * port 0); each new downstream source gets an m-line appended. Downstream m-lines reuse the client's payload types
 * and extension ids, so they agree across the BUNDLE; an id the client maps to two different extensions (aiortc 1.4
 * parses every packet of the BUNDLE with one map) is replaced by a free one. {@link Negotiated#downstream()} says
 * which ids the forwarding must write.
 */
public final class OfferBuilder {
    static final String DOWNSTREAM_PROTO = "UDP/TLS/RTP/SAVPF";
    /** Defaults when the client negotiated nothing of a kind yet (Chromium's numbering). */
    static final int DEFAULT_OPUS_PT = 111;
    static final String DEFAULT_OPUS_FMTP = "minptime=10;useinbandfec=1";
    static final int DEFAULT_VP8_PT = 96;
    static final int DEFAULT_VP8_RTX_PT = 97;
    static final int DEFAULT_H264_PT = 102;
    static final int DEFAULT_H264_RTX_PT = 103;
    static final String DEFAULT_H264_FMTP = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";
    static final List<String> DEFAULT_VIDEO_FEEDBACK = List.of("goog-remb", "transport-cc", "ccm fir", "nack",
            "nack pli");
    /** Dynamic payload type ranges searched when a default is taken (RFC 3551, then the lower range Chromium uses). */
    private static final int[][] DYNAMIC_PT_RANGES = {{96, 127}, {35, 63}};
    private static final int MAX_ONE_BYTE_EXTENSION_ID = 14;

    private OfferBuilder() {}

    /**
     * @param state the last completed exchange with this client
     * @param sources every stream the SFU sends to this client, in order; a new mid appends an m-line
     * @throws IllegalArgumentException if a source reuses an upstream mid, repeats a mid, or changes an m-line's kind
     * @throws SdpNegotiationException if the client left no payload type free for a kind it never negotiated
     */
    public static Offer build(NegotiationState state, LocalTransport local, List<OutgoingSource> sources) {
        return build(state, state.negotiated(), local, sources);
    }

    /** With {@code negotiated} the summary of {@code state} (ReofferProbe passes the pre-issue-#16 summary). */
    static Offer build(NegotiationState state, Negotiated negotiated, LocalTransport local,
            List<OutgoingSource> sources) {
        SessionDescription prev = state.local();
        Map<String, OutgoingSource> byMid = new LinkedHashMap<>();
        for (OutgoingSource s : sources) {
            if (byMid.put(s.mid(), s) != null) throw new IllegalArgumentException("mid " + s.mid() + " is listed twice");
            MediaDescription existing = prev.media(s.mid());
            if (existing != null && !state.isDownstream(existing)) {
                throw new IllegalArgumentException("mid " + s.mid() + " belongs to the client's own media");
            }
            if (existing != null && existing.kind() != s.kind()) {
                throw new IllegalArgumentException("mid " + s.mid() + " is a " + existing.media() + " m-line");
            }
        }
        Allocator ids = new Allocator(negotiated);
        Map<MediaKind, Template> templates = new HashMap<>();
        List<MediaDescription> sections = new ArrayList<>();
        Set<String> downstream = new LinkedHashSet<>(state.downstreamMids());
        for (int i = 0; i < prev.media().size(); i++) {
            MediaDescription m = prev.media().get(i);
            if (!state.accepted(i)) {
                sections.add(Sections.rejected(m, local, Setup.ACTPASS));
            } else if (state.clientPublishes(i)) {
                sections.add(shared(m, byMid.get(m.mid()), local));
            } else if (state.isDownstream(m)) {
                Template t = templates.computeIfAbsent(m.kind(), k -> Template.of(k, negotiated, ids));
                sections.add(downstream(m.mid(), t, byMid.get(m.mid()), local));
            } else {
                sections.add(upstream(m, local));
            }
        }
        for (OutgoingSource s : sources) {
            if (prev.media(s.mid()) != null) continue;
            Template t = templates.computeIfAbsent(s.kind(), k -> Template.of(k, negotiated, ids));
            sections.add(downstream(s.mid(), t, s, local));
            downstream.add(s.mid());
        }
        sections = Sections.withCandidates(sections, local);
        SessionDescription.Builder b = SessionDescription.builder()
                .origin(prev.origin().withSessionVersion(
                        Math.max(prev.origin().sessionVersion() + 1, local.sessionVersion())))
                .bundle(Sections.acceptedMids(sections)).iceLite(true).msidSemantic(AnswerBuilder.MSID_SEMANTIC)
                .extmapAllowMixed(prev.extmapAllowMixed());
        sections.forEach(b::addMedia);
        return new Offer(b.build(), state, downstream);
    }

    /** A client upstream m-line offered again as we last described it, receive-only from our side. */
    private static MediaDescription upstream(MediaDescription ours, LocalTransport local) {
        MediaDescription.Builder b = Sections.transport(ours.toBuilder(), local, Setup.ACTPASS);
        if (ours.isRtp()) b.direction(Direction.RECVONLY);
        return b.build();
    }

    /**
     * An m-line the SFU created on which the client publishes a track: offered again as last negotiated (the
     * client's codecs and extension ids, both ways), receiving, and sending the source while it is active.
     */
    private static MediaDescription shared(MediaDescription ours, OutgoingSource source, LocalTransport local) {
        boolean sending = source != null && source.active();
        MediaDescription.Builder b = Sections.transport(ours.toBuilder(), local, Setup.ACTPASS).clearSources()
                .direction(Direction.of(sending, true));
        boolean rtx = ours.codecs().stream().anyMatch(c -> c.rtxPt() != null);
        if (sending) Sections.addSource(b, source, rtx);
        return b.build();
    }

    private static MediaDescription downstream(String mid, Template t, OutgoingSource source, LocalTransport local) {
        boolean sending = source != null && source.active();
        MediaDescription.Builder b = Sections.transport(MediaDescription.builder().kind(t.kind).proto(DOWNSTREAM_PROTO)
                .mid(mid), local, Setup.ACTPASS)
                .direction(sending ? Direction.SENDONLY : Direction.INACTIVE).rtcpMux(true).rtcpRsize(true);
        t.extensions.forEach((uri, id) -> b.addExtmap(new Extmap(id, uri)));
        for (Codec c : t.codecs) {
            b.addFormat(Integer.toString(c.pt()));
            b.addRtpMap(new RtpMap(c.pt(), c.name(), c.clockRate(), c.channels()));
            for (RtcpFb fb : c.rtcpFbs()) b.addRtcpFb(fb);
            if (c.fmtp() != null) b.addFmtp(new Fmtp(c.pt(), c.fmtp()));
            if (c.rtxPt() != null) {
                b.addFormat(Integer.toString(c.rtxPt()));
                b.addRtpMap(new RtpMap(c.rtxPt(), "rtx", c.clockRate(), null));
                b.addFmtp(new Fmtp(c.rtxPt(), "apt=" + c.pt()));
            }
        }
        if (source != null) Sections.addSource(b, source, t.codecs.stream().anyMatch(c -> c.rtxPt() != null));
        return b.build();
    }

    /**
     * Checks the client's answer to our re-offer.
     *
     * @throws SdpParseException if the answer is malformed
     * @throws SdpNegotiationException if it breaks BUNDLE, rtcp-mux or the DTLS roles, or does not match the offer
     */
    public static AppliedAnswer applyAnswer(Offer offer, String answerSdp) {
        return applyAnswer(offer, SdpParser.parse(answerSdp));
    }

    public static AppliedAnswer applyAnswer(Offer offer, SessionDescription answer) {
        return applyAnswer(offer, answer, NegotiationState::negotiated);
    }

    /** With {@code summary} in place of {@link Summarizer} (ReofferProbe passes the pre-issue-#16 one). */
    static AppliedAnswer applyAnswer(Offer offer, SessionDescription answer,
            Function<NegotiationState, Negotiated> summary) {
        List<MediaDescription> offered = offer.description().media();
        if (answer.media().size() != offered.size()) {
            throw new SdpNegotiationException("The answer has " + answer.media().size() + " m-lines but the offer had "
                    + offered.size() + "; an answer must answer every m-line in order.");
        }
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            MediaDescription o = offered.get(i);
            MediaDescription a = answer.media().get(i);
            String what = "The answer's " + Sections.describe(a, i);
            if (!java.util.Objects.equals(o.mid(), a.mid())) {
                throw new SdpNegotiationException(what + " does not match the offer's mid " + o.mid() + ".");
            }
            // aiortc 1.4 answers an m-line we keep rejected with a real port; it stays rejected all the same
            if (o.port() == 0) continue;
            if (a.port() == 0) {
                if (offer.downstreamMids().contains(o.mid())) rejected.add(o.mid());
                continue;
            }
            checkAnswerTransport(answer, a, what);
        }
        NegotiationState state = new NegotiationState(offer.description(), answer, offer.downstreamMids());
        return new AppliedAnswer(state, summary.apply(state), rejected);
    }

    private static void checkAnswerTransport(SessionDescription answer, MediaDescription a, String what) {
        if (!answer.inBundle(a)) {
            throw new SdpNegotiationException(what + " is not in the answer's BUNDLE group; this SFU needs all media"
                    + " bundled on one transport.");
        }
        if (a.isRtp() && !a.rtcpMux()) {
            throw new SdpNegotiationException(what + " does not accept rtcp-mux.");
        }
        if (answer.iceUfragOf(a) == null || answer.icePwdOf(a) == null) {
            throw new SdpNegotiationException(what + " has no ICE credentials (a=ice-ufrag and a=ice-pwd).");
        }
        if (answer.fingerprintsOf(a).isEmpty()) {
            throw new SdpNegotiationException(what + " has no DTLS fingerprint (a=fingerprint).");
        }
        Setup setup = answer.setupOf(a);
        if (setup != null && setup != Setup.ACTIVE) {
            throw new SdpNegotiationException(what + " says a=setup:" + setup.token() + "; the client must stay the"
                    + " DTLS client (a=setup:active) because the SFU is always the DTLS server.");
        }
    }

    /** The codecs and header extensions every downstream m-line of one kind carries. */
    private static final class Template {
        final MediaKind kind;
        final List<Codec> codecs;
        final Map<String, Integer> extensions;

        private Template(MediaKind kind, List<Codec> codecs, Map<String, Integer> extensions) {
            this.kind = kind;
            this.codecs = codecs;
            this.extensions = extensions;
        }

        /** From the client's first accepted m-line of this kind, else defaults that collide with nothing in use. */
        static Template of(MediaKind kind, Negotiated negotiated, Allocator ids) {
            List<String> uris = CodecPolicy.downstreamExtensions(kind);
            NegotiatedMedia first = null;
            for (NegotiatedMedia m : negotiated.media()) {
                if (m.kind() == kind && !m.codecs().isEmpty()) {
                    first = m;
                    break;
                }
            }
            List<Codec> codecs = new ArrayList<>();
            if (first != null) {
                for (Codec c : first.codecs()) {
                    Codec down = downstreamCodec(c);
                    // RTX down even where the client sends without it: the SFU answers NACKs and probes with it.
                    if (kind == MediaKind.VIDEO && !c.is("rtx") && c.rtxPt() == null) {
                        down = new Codec(down.pt(), down.name(), down.clockRate(), down.channels(), down.fmtp(),
                                down.rtcpFbs(), ids.pt(c.pt() + 1));
                    }
                    codecs.add(down);
                }
            } else if (kind == MediaKind.AUDIO) {
                codecs.add(new Codec(ids.pt(DEFAULT_OPUS_PT), "opus", CodecPolicy.OPUS_CLOCK, 2, DEFAULT_OPUS_FMTP,
                        List.of(), null));
            } else {
                codecs.add(defaultVideo("VP8", null, DEFAULT_VP8_PT, DEFAULT_VP8_RTX_PT, ids));
                codecs.add(defaultVideo("H264", DEFAULT_H264_FMTP, DEFAULT_H264_PT, DEFAULT_H264_RTX_PT, ids));
            }
            Map<String, Integer> ext = new LinkedHashMap<>();
            for (String uri : uris) {
                // with a client m-line of this kind, only what it negotiated there (plus transport-cc, which the SFU
                // itself stamps and needs for estimating the downlink); else everything we keep
                boolean ours = uri.equals(RtpHeaderExtensions.TRANSPORT_WIDE_CC);
                if (first != null && first.extensionId(uri) == null && !ours) continue;
                Integer id = ids.extensionId(uri, first == null ? null : first.extensionId(uri));
                if (id != null) ext.put(uri, id);
            }
            return new Template(kind, codecs, ext);
        }

        /**
         * The codec as sent down, with the feedback the SFU acts on as a sender: the client's lines it supports, then
         * the rest of {@link #DEFAULT_VIDEO_FEEDBACK} (video) or transport-cc (audio). What the client's upstream
         * offered says nothing about what the SFU handles downstream (NACK, key-frame requests, estimates).
         */
        private static Codec downstreamCodec(Codec c) {
            List<RtcpFb> fbs = new ArrayList<>();
            if (c.is("rtx")) return new Codec(c.pt(), c.name(), c.clockRate(), c.channels(), c.fmtp(), fbs, c.rtxPt());
            boolean video = c.clockRate() == CodecPolicy.VIDEO_CLOCK;
            List<String> supported = video ? DEFAULT_VIDEO_FEEDBACK : List.of(CodecPolicy.TRANSPORT_CC_FEEDBACK);
            for (RtcpFb fb : c.rtcpFbs()) {
                if (!supported.contains(fb.feedback())) continue;
                RtcpFb own = fb.withPt(c.pt());
                if (!fbs.contains(own)) fbs.add(own);
            }
            for (String f : supported) {
                if (fbs.stream().anyMatch(fb -> fb.feedback().equals(f))) continue;
                String[] parts = SdpText.head(f);
                fbs.add(new RtcpFb(c.pt(), parts[0], parts[1]));
            }
            return new Codec(c.pt(), c.name(), c.clockRate(), c.channels(), c.fmtp(), fbs, c.rtxPt());
        }

        private static Codec defaultVideo(String name, String fmtp, int pt, int rtxPt, Allocator ids) {
            int p = ids.pt(pt);
            int r = ids.pt(rtxPt);
            List<RtcpFb> fbs = new ArrayList<>();
            for (String f : DEFAULT_VIDEO_FEEDBACK) {
                String[] parts = SdpText.head(f);
                fbs.add(new RtcpFb(p, parts[0], parts[1]));
            }
            return new Codec(p, name, CodecPolicy.VIDEO_CLOCK, null, fmtp, fbs, r);
        }
    }

    /**
     * Payload types and extension ids for one re-offer, shared by both kinds so they never collide with each other
     * or with what the client uses anywhere in the BUNDLE.
     */
    private static final class Allocator {
        private final Set<Integer> usedPts;
        private final Set<Integer> usedIds = new HashSet<>();
        /** Ids a client maps to different URIs on different m-lines (aiortc 1.4 does; it parses with one map). */
        private final Set<Integer> ambiguousIds = new HashSet<>();
        /** URI to id, over ids that are not ambiguous. */
        private final Map<String, Integer> idByUri = new HashMap<>();

        Allocator(Negotiated negotiated) {
            usedPts = new HashSet<>(negotiated.payloadTypes().keySet());
            Map<Integer, String> uriById = new HashMap<>();
            for (NegotiatedMedia m : negotiated.media()) {
                m.extensions().forEach((id, uri) -> {
                    usedIds.add(id);
                    String other = uriById.putIfAbsent(id, uri);
                    if (other != null && !other.equals(uri)) ambiguousIds.add(id);
                });
            }
            for (NegotiatedMedia m : negotiated.media()) {
                m.extensions().forEach((id, uri) -> {
                    if (!ambiguousIds.contains(id)) idByUri.putIfAbsent(uri, id);
                });
            }
        }

        /** The preferred payload type if nobody uses it, else the first free dynamic one; marks it used. */
        int pt(int preferred) {
            if (usedPts.add(preferred)) return preferred;
            for (int[] range : DYNAMIC_PT_RANGES) {
                for (int pt = range[0]; pt <= range[1]; pt++) {
                    if (usedPts.add(pt)) return pt;
                }
            }
            throw new SdpNegotiationException("The client uses every dynamic payload type, so there is none left for"
                    + " the SFU's streams.");
        }

        /**
         * The client's id for the URI unless that id is ambiguous; else the id the URI already has elsewhere in the
         * BUNDLE (so re-offers stay stable); else a free id (the default if free). Null if no one-byte id is left.
         */
        Integer extensionId(String uri, Integer clientId) {
            if (clientId != null && !ambiguousIds.contains(clientId)) return clientId;
            Integer known = idByUri.get(uri);
            if (known != null) return known;
            Integer preferred = CodecPolicy.DEFAULT_EXTENSION_IDS.get(uri);
            Integer id = preferred != null && !usedIds.contains(preferred) ? preferred : null;
            for (int i = 1; id == null && i <= MAX_ONE_BYTE_EXTENSION_ID; i++) {
                if (!usedIds.contains(i)) id = i;
            }
            if (id == null) return null;
            usedIds.add(id);
            idByUri.put(uri, id);
            return id;
        }
    }
}
