package org.conclave.sfu.sdp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Writes the model as SDP text: CRLF line ends, v o s t first, then session attributes, then m-sections. */
public final class SdpWriter {
    private static final String CRLF = "\r\n";

    private SdpWriter() {}

    public static String write(SessionDescription s) {
        StringBuilder out = new StringBuilder(4096);
        Origin o = s.origin();
        line(out, "v=0");
        line(out, "o=" + o.username() + " " + o.sessionId() + " " + o.sessionVersion() + " " + o.netType() + " "
                + o.addrType() + " " + o.address());
        line(out, "s=" + s.sessionName());
        for (SdpLine e : s.extraLines()) line(out, e.type() + "=" + e.value());
        if (s.connection() != null) connection(out, s.connection());
        line(out, "t=" + s.timing());
        if (s.bundle() != null) {
            StringBuilder group = new StringBuilder("a=group:BUNDLE");
            for (String mid : s.bundle()) group.append(' ').append(mid);
            line(out, group.toString());
        }
        if (s.iceLite()) line(out, "a=ice-lite");
        if (s.iceUfrag() != null) line(out, "a=ice-ufrag:" + s.iceUfrag());
        if (s.icePwd() != null) line(out, "a=ice-pwd:" + s.icePwd());
        if (s.iceOptions() != null) line(out, "a=ice-options:" + s.iceOptions());
        for (Fingerprint f : s.fingerprints()) line(out, "a=fingerprint:" + f);
        if (s.setup() != null) line(out, "a=setup:" + s.setup().token());
        if (s.extmapAllowMixed()) line(out, "a=extmap-allow-mixed");
        if (s.msidSemantic() != null) line(out, "a=msid-semantic: " + s.msidSemantic());
        attributes(out, s.otherAttributes());
        for (MediaDescription m : s.media()) media(out, m);
        return out.toString();
    }

    private static void media(StringBuilder out, MediaDescription m) {
        StringBuilder mline = new StringBuilder("m=").append(m.media()).append(' ').append(m.port()).append(' ')
                .append(m.proto());
        for (String f : m.formats()) mline.append(' ').append(f);
        line(out, mline.toString());
        if (m.connection() != null) connection(out, m.connection());
        for (SdpLine e : m.extraLines()) line(out, e.type() + "=" + e.value());
        if (m.iceUfrag() != null) line(out, "a=ice-ufrag:" + m.iceUfrag());
        if (m.icePwd() != null) line(out, "a=ice-pwd:" + m.icePwd());
        for (Fingerprint f : m.fingerprints()) line(out, "a=fingerprint:" + f);
        if (m.setup() != null) line(out, "a=setup:" + m.setup().token());
        if (m.mid() != null) line(out, "a=mid:" + m.mid());
        for (Extmap e : m.extmaps()) line(out, "a=extmap:" + e.format());
        if (m.direction() != null) line(out, "a=" + m.direction().token());
        for (Msid id : m.msids()) line(out, "a=msid:" + id.format());
        if (m.rtcpMux()) line(out, "a=rtcp-mux");
        if (m.rtcpRsize()) line(out, "a=rtcp-rsize");
        codecs(out, m);
        for (Rid r : m.rids()) line(out, "a=rid:" + r.format());
        if (m.simulcast() != null) line(out, "a=simulcast:" + m.simulcast().raw());
        for (SsrcGroup g : m.ssrcGroups()) line(out, "a=ssrc-group:" + g.format());
        for (SsrcAttribute a : m.ssrcs()) line(out, "a=ssrc:" + a.format());
        if (m.sctpPort() != null) line(out, "a=sctp-port:" + m.sctpPort());
        if (m.maxMessageSize() != null) line(out, "a=max-message-size:" + m.maxMessageSize());
        attributes(out, m.otherAttributes());
        for (String c : m.candidates()) line(out, "a=" + c);
        if (m.endOfCandidates()) line(out, "a=end-of-candidates");
    }

    /** rtpmap, then its rtcp-fb and fmtp lines, per payload type (the order MediaDescription keeps). */
    private static void codecs(StringBuilder out, MediaDescription m) {
        Set<Integer> mapped = new HashSet<>();
        for (RtcpFb fb : m.rtcpFbs()) {
            if (fb.pt() == RtcpFb.ANY_PT) line(out, "a=rtcp-fb:" + fb.format());
        }
        for (RtpMap map : m.rtpMaps()) {
            mapped.add(map.pt());
            line(out, "a=rtpmap:" + map.format());
            for (RtcpFb fb : m.rtcpFbs()) {
                if (fb.pt() == map.pt()) line(out, "a=rtcp-fb:" + fb.format());
            }
            Fmtp f = m.fmtp(map.pt());
            if (f != null) fmtp(out, f);
        }
        for (RtcpFb fb : m.rtcpFbs()) {
            if (fb.pt() != RtcpFb.ANY_PT && !mapped.contains(fb.pt())) line(out, "a=rtcp-fb:" + fb.format());
        }
        for (Fmtp f : m.fmtps()) {
            if (!mapped.contains(f.pt())) fmtp(out, f);
        }
    }

    private static void fmtp(StringBuilder out, Fmtp f) {
        line(out, "a=fmtp:" + f.pt() + (f.params().isEmpty() ? "" : " " + f.params()));
    }

    private static void attributes(StringBuilder out, List<Attribute> attributes) {
        for (Attribute a : attributes) line(out, "a=" + a.name() + (a.value() == null ? "" : ":" + a.value()));
    }

    private static void connection(StringBuilder out, Connection c) {
        line(out, "c=" + c.netType() + " " + c.addrType() + " " + c.address());
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append(CRLF);
    }
}
