package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * One m= section of the WebRTC SDP subset. Nullable components mean "not stated". Attributes the model does not
 * interpret are kept in {@code otherAttributes} (they must not use a name the model interprets). rtcp-fb and fmtp lines
 * are held in the order the writer emits them (grouped after their rtpmap), so that parse(write(x)) equals x.
 *
 * @param media the m= media token (audio, video, application, or anything else)
 * @param port 0 means the section is rejected (or bundle-only in an offer)
 * @param candidates full attribute texts, each starting with "candidate:"
 */
public record MediaDescription(
        String media, int port, String proto, List<String> formats, Connection connection, List<SdpLine> extraLines,
        String mid, Direction direction, String iceUfrag, String icePwd, List<Fingerprint> fingerprints, Setup setup,
        boolean rtcpMux, boolean rtcpRsize, List<RtpMap> rtpMaps, List<Fmtp> fmtps, List<RtcpFb> rtcpFbs,
        List<Extmap> extmaps, List<SsrcAttribute> ssrcs, List<SsrcGroup> ssrcGroups, List<Msid> msids, List<Rid> rids,
        Simulcast simulcast, Integer sctpPort, Long maxMessageSize, List<String> candidates, boolean endOfCandidates,
        List<Attribute> otherAttributes) {

    public static final String BUNDLE_ONLY = "bundle-only";

    public MediaDescription {
        SdpText.token(media, "m= media type");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("m= port " + port + " is outside 0..65535");
        SdpText.token(proto, "m= protocol");
        formats = List.copyOf(formats);
        for (String f : formats) SdpText.token(f, "m= format");
        extraLines = List.copyOf(extraLines);
        if (mid != null) SdpText.token(mid, "a=mid");
        if (iceUfrag != null) SdpText.token(iceUfrag, "a=ice-ufrag");
        if (icePwd != null) SdpText.token(icePwd, "a=ice-pwd");
        fingerprints = List.copyOf(fingerprints);
        rtpMaps = List.copyOf(rtpMaps);
        extmaps = List.copyOf(extmaps);
        ssrcs = List.copyOf(ssrcs);
        ssrcGroups = List.copyOf(ssrcGroups);
        msids = List.copyOf(msids);
        rids = List.copyOf(rids);
        if (sctpPort != null && (sctpPort < 0 || sctpPort > 65535)) {
            throw new IllegalArgumentException("a=sctp-port " + sctpPort + " is outside 0..65535");
        }
        if (maxMessageSize != null && maxMessageSize < 0) throw new IllegalArgumentException("a=max-message-size is negative");
        candidates = List.copyOf(candidates);
        for (String c : candidates) {
            if (!c.startsWith("candidate:") || c.length() == "candidate:".length()) {
                throw new IllegalArgumentException("a candidate must start with 'candidate:' and say something");
            }
            SdpText.text(c, "candidate", false);
        }
        otherAttributes = List.copyOf(otherAttributes);
        requireUnique(rtpMaps.stream().map(RtpMap::pt).toList(), "a=rtpmap for payload type");
        requireUnique(fmtps.stream().map(Fmtp::pt).toList(), "a=fmtp for payload type");
        requireUnique(extmaps.stream().map(Extmap::id).toList(), "a=extmap id");
        requireUnique(rids.stream().map(Rid::id).toList(), "a=rid");
        List<Integer> order = rtpMaps.stream().map(RtpMap::pt).toList();
        fmtps = inWriteOrder(fmtps, order, Fmtp::pt);
        rtcpFbs = inWriteOrder(rtcpFbs, order, RtcpFb::pt);
    }

    /** The lines sorted by {@link #writeRank}; a list already in that order is kept (descriptions kept share them). */
    private static <T> List<T> inWriteOrder(List<T> lines, List<Integer> rtpMapOrder, ToIntFunction<T> pt) {
        Comparator<T> byRank = Comparator.comparingInt(l -> writeRank(rtpMapOrder, pt.applyAsInt(l)));
        for (int i = 1; i < lines.size(); i++) {
            if (byRank.compare(lines.get(i - 1), lines.get(i)) > 0) return lines.stream().sorted(byRank).toList();
        }
        return List.copyOf(lines);
    }

    private static void requireUnique(List<?> keys, String what) {
        Set<Object> seen = new HashSet<>();
        for (Object k : keys) {
            if (!seen.add(k)) throw new IllegalArgumentException(what + " " + k + " appears twice in one m-line");
        }
    }

    /** Where the writer puts a line for this pt: '*' first, then after its rtpmap, then orphans. */
    static int writeRank(List<Integer> rtpMapOrder, int pt) {
        if (pt == RtcpFb.ANY_PT) return -1;
        int i = rtpMapOrder.indexOf(pt);
        return i >= 0 ? i : rtpMapOrder.size();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public MediaKind kind() {
        return MediaKind.of(media);
    }

    /** The direction, sendrecv when none is stated (RFC 4566 default). */
    public Direction effectiveDirection() {
        return direction == null ? Direction.SENDRECV : direction;
    }

    public boolean hasAttribute(String name) {
        for (Attribute a : otherAttributes) {
            if (a.name().equals(name)) return true;
        }
        return false;
    }

    /** An offered section with port 0 and a=bundle-only is part of the BUNDLE, not rejected (JSEP 5.2.1). */
    public boolean isBundleOnly() {
        return port == 0 && hasAttribute(BUNDLE_ONLY);
    }

    public boolean isRtp() {
        return proto.contains("RTP/");
    }

    public RtpMap rtpMap(int pt) {
        for (RtpMap m : rtpMaps) {
            if (m.pt() == pt) return m;
        }
        return null;
    }

    public Fmtp fmtp(int pt) {
        for (Fmtp f : fmtps) {
            if (f.pt() == pt) return f;
        }
        return null;
    }

    /** Feedback lines for this payload type, including '*' lines. */
    public List<RtcpFb> rtcpFbsFor(int pt) {
        List<RtcpFb> out = new ArrayList<>();
        for (RtcpFb f : rtcpFbs) {
            if (f.pt() == pt || f.pt() == RtcpFb.ANY_PT) out.add(f);
        }
        return List.copyOf(out);
    }

    public String extmapUri(int id) {
        for (Extmap e : extmaps) {
            if (e.id() == id) return e.uri();
        }
        return null;
    }

    public Integer extmapId(String uri) {
        for (Extmap e : extmaps) {
            if (e.uri().equals(uri)) return e.id();
        }
        return null;
    }

    /** Payload types of the m= line that parse as numbers, in order (non-RTP formats are skipped). */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>();
        for (String f : formats) {
            try {
                out.add(SdpText.payloadType(f));
            } catch (IllegalArgumentException notAPayloadType) {
                // application sections carry names such as webrtc-datachannel
            }
        }
        return out;
    }

    /**
     * The codecs in m= order, each with its fmtp, feedback and RTX payload type. RTX formats are not listed on their
     * own; formats without an a=rtpmap are skipped.
     */
    public List<Codec> codecs() {
        // the RTX associations read once, not once per codec (issue #16: every m-line of every re-offer comes here)
        Map<Integer, Integer> rtxByApt = new HashMap<>();
        for (RtpMap m : rtpMaps) {
            if (!m.encodingName().equalsIgnoreCase("rtx")) continue;
            Fmtp f = fmtp(m.pt());
            Integer apt = f == null ? null : f.apt();
            if (apt != null) rtxByApt.putIfAbsent(apt, m.pt());
        }
        List<Codec> out = new ArrayList<>();
        for (int pt : new LinkedHashSet<>(payloadTypes())) {
            RtpMap map = rtpMap(pt);
            if (map == null || map.encodingName().equalsIgnoreCase("rtx")) continue;
            Fmtp f = fmtp(pt);
            out.add(new Codec(pt, map.encodingName(), map.clockRate(), map.channels(), f == null ? null : f.params(),
                    rtcpFbsFor(pt), rtxByApt.get(pt)));
        }
        return out;
    }

    /** The RTX payload type whose apt= names this one, or null. */
    public Integer rtxFor(int pt) {
        for (RtpMap m : rtpMaps) {
            if (!m.encodingName().equalsIgnoreCase("rtx")) continue;
            Fmtp f = fmtp(m.pt());
            if (f != null && f.apt() != null && f.apt() == pt) return m.pt();
        }
        return null;
    }

    /** Distinct SSRCs named by a=ssrc and a=ssrc-group lines, in order of appearance. */
    public List<Long> ssrcValues() {
        Set<Long> out = new LinkedHashSet<>();
        for (SsrcGroup g : ssrcGroups) out.addAll(g.ssrcs());
        for (SsrcAttribute s : ssrcs) out.add(s.ssrc());
        return List.copyOf(out);
    }

    /** The msid of the section: a=msid, else the first a=ssrc msid:, else null. */
    public Msid effectiveMsid() {
        if (!msids.isEmpty()) return msids.get(0);
        for (SsrcAttribute s : ssrcs) {
            if (s.attribute().equals("msid") && s.value() != null) {
                try {
                    return Msid.parse(s.value());
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }

    public String cname() {
        for (SsrcAttribute s : ssrcs) {
            if (s.attribute().equals("cname") && s.value() != null) return s.value();
        }
        return null;
    }

    /** Mutable builder; lists are copied on build. */
    public static final class Builder {
        private String media = "audio";
        private int port;
        private String proto = "UDP/TLS/RTP/SAVPF";
        private List<String> formats = new ArrayList<>();
        private Connection connection;
        private final List<SdpLine> extraLines = new ArrayList<>();
        private String mid;
        private Direction direction;
        private String iceUfrag;
        private String icePwd;
        private final List<Fingerprint> fingerprints = new ArrayList<>();
        private Setup setup;
        private boolean rtcpMux;
        private boolean rtcpRsize;
        private final List<RtpMap> rtpMaps = new ArrayList<>();
        private final List<Fmtp> fmtps = new ArrayList<>();
        private final List<RtcpFb> rtcpFbs = new ArrayList<>();
        private final List<Extmap> extmaps = new ArrayList<>();
        private final List<SsrcAttribute> ssrcs = new ArrayList<>();
        private final List<SsrcGroup> ssrcGroups = new ArrayList<>();
        private final List<Msid> msids = new ArrayList<>();
        private final List<Rid> rids = new ArrayList<>();
        private Simulcast simulcast;
        private Integer sctpPort;
        private Long maxMessageSize;
        private final List<String> candidates = new ArrayList<>();
        private boolean endOfCandidates;
        private final List<Attribute> otherAttributes = new ArrayList<>();

        private Builder() {}

        private Builder(MediaDescription m) {
            media = m.media;
            port = m.port;
            proto = m.proto;
            formats = new ArrayList<>(m.formats);
            connection = m.connection;
            extraLines.addAll(m.extraLines);
            mid = m.mid;
            direction = m.direction;
            iceUfrag = m.iceUfrag;
            icePwd = m.icePwd;
            fingerprints.addAll(m.fingerprints);
            setup = m.setup;
            rtcpMux = m.rtcpMux;
            rtcpRsize = m.rtcpRsize;
            rtpMaps.addAll(m.rtpMaps);
            fmtps.addAll(m.fmtps);
            rtcpFbs.addAll(m.rtcpFbs);
            extmaps.addAll(m.extmaps);
            ssrcs.addAll(m.ssrcs);
            ssrcGroups.addAll(m.ssrcGroups);
            msids.addAll(m.msids);
            rids.addAll(m.rids);
            simulcast = m.simulcast;
            sctpPort = m.sctpPort;
            maxMessageSize = m.maxMessageSize;
            candidates.addAll(m.candidates);
            endOfCandidates = m.endOfCandidates;
            otherAttributes.addAll(m.otherAttributes);
        }

        public Builder media(String v) { media = v; return this; }
        public Builder kind(MediaKind k) {
            if (k == MediaKind.OTHER) throw new IllegalArgumentException("use media(token) for other media types");
            media = k.token();
            return this;
        }
        public Builder port(int v) { port = v; return this; }
        public Builder proto(String v) { proto = v; return this; }
        public Builder formats(List<String> v) { formats = new ArrayList<>(v); return this; }
        public Builder addFormat(String v) { formats.add(v); return this; }
        public Builder connection(Connection v) { connection = v; return this; }
        public Builder addExtraLine(SdpLine v) { extraLines.add(v); return this; }
        public Builder mid(String v) { mid = v; return this; }
        public Builder direction(Direction v) { direction = v; return this; }
        public Builder iceUfrag(String v) { iceUfrag = v; return this; }
        public Builder icePwd(String v) { icePwd = v; return this; }
        public Builder addFingerprint(Fingerprint v) { fingerprints.add(v); return this; }
        public Builder clearFingerprints() { fingerprints.clear(); return this; }
        public Builder setup(Setup v) { setup = v; return this; }
        public Builder rtcpMux(boolean v) { rtcpMux = v; return this; }
        public Builder rtcpRsize(boolean v) { rtcpRsize = v; return this; }
        public Builder addRtpMap(RtpMap v) { rtpMaps.add(v); return this; }
        public Builder addFmtp(Fmtp v) { fmtps.add(v); return this; }
        public Builder addRtcpFb(RtcpFb v) { rtcpFbs.add(v); return this; }
        public Builder addExtmap(Extmap v) { extmaps.add(v); return this; }
        public Builder addSsrc(SsrcAttribute v) { ssrcs.add(v); return this; }
        public Builder addSsrcGroup(SsrcGroup v) { ssrcGroups.add(v); return this; }
        public Builder addMsid(Msid v) { msids.add(v); return this; }
        public Builder addRid(Rid v) { rids.add(v); return this; }
        public Builder simulcast(Simulcast v) { simulcast = v; return this; }
        public Builder sctpPort(Integer v) { sctpPort = v; return this; }
        public Builder maxMessageSize(Long v) { maxMessageSize = v; return this; }
        public Builder addCandidate(String v) { candidates.add(v); return this; }
        public Builder clearCandidates() { candidates.clear(); endOfCandidates = false; return this; }
        public Builder endOfCandidates(boolean v) { endOfCandidates = v; return this; }
        public Builder addAttribute(Attribute v) { otherAttributes.add(v); return this; }

        /** Drops codec lines (rtpmap, fmtp, rtcp-fb) and formats. */
        public Builder clearCodecs() {
            formats.clear();
            rtpMaps.clear();
            fmtps.clear();
            rtcpFbs.clear();
            return this;
        }

        /** Drops ssrc, ssrc-group and msid lines. */
        public Builder clearSources() {
            ssrcs.clear();
            ssrcGroups.clear();
            msids.clear();
            return this;
        }

        public Builder clearExtmaps() { extmaps.clear(); return this; }
        public Builder clearRids() { rids.clear(); simulcast = null; return this; }

        public MediaDescription build() {
            return new MediaDescription(media, port, proto, formats, connection, extraLines, mid, direction, iceUfrag,
                    icePwd, fingerprints, setup, rtcpMux, rtcpRsize, rtpMaps, fmtps, rtcpFbs, extmaps, ssrcs,
                    ssrcGroups, msids, rids, simulcast, sctpPort, maxMessageSize, candidates, endOfCandidates,
                    otherAttributes);
        }
    }
}
