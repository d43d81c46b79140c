package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/** Pieces shared by the answer and offer builders. */
final class Sections {
    private Sections() {}

    /**
     * A rejected m-line: port 0, same media, proto, formats and mid (RFC 3264 6, JSEP 5.3.1). It still carries our ICE
     * and DTLS lines and rtcp-mux: aiortc 1.4 refuses a description with any section lacking them.
     */
    static MediaDescription rejected(MediaDescription m, LocalTransport local, Setup setup) {
        MediaDescription.Builder b = transport(MediaDescription.builder().media(m.media()).proto(m.proto())
                .formats(m.formats()).mid(m.mid()), local, setup).port(0).connection(Connection.UNSPECIFIED_IP4);
        if (m.isRtp()) b.direction(Direction.INACTIVE).rtcpMux(true);
        return b.build();
    }

    /** Our ICE and DTLS lines on a section we accept or offer. */
    static MediaDescription.Builder transport(MediaDescription.Builder b, LocalTransport local, Setup setup) {
        return b.port(local.defaultPort()).connection(local.defaultConnection()).iceUfrag(local.iceUfrag())
                .icePwd(local.icePwd()).clearFingerprints().addFingerprint(local.parsedFingerprint()).setup(setup)
                .clearCandidates();
    }

    /** Puts our candidates and end-of-candidates on the first non-rejected section: the BUNDLE transport. */
    static List<MediaDescription> withCandidates(List<MediaDescription> sections, LocalTransport local) {
        List<MediaDescription> out = new ArrayList<>(sections);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).port() == 0) continue;
            MediaDescription.Builder b = out.get(i).toBuilder();
            for (String c : local.candidates()) b.addCandidate(c);
            out.set(i, b.endOfCandidates(true).build());
            break;
        }
        return out;
    }

    /** msid and SSRC lines of a source the SFU sends; the RTX SSRC only if an RTX format was negotiated. */
    static void addSource(MediaDescription.Builder b, OutgoingSource source, boolean rtxNegotiated) {
        Msid msid = new Msid(source.streamId(), source.trackId());
        b.addMsid(msid);
        boolean rtx = rtxNegotiated && source.rtxSsrc() != null;
        if (rtx) b.addSsrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(source.ssrc(), source.rtxSsrc())));
        addSsrc(b, source.ssrc(), source.cname(), msid);
        if (rtx) addSsrc(b, source.rtxSsrc(), source.cname(), msid);
    }

    private static void addSsrc(MediaDescription.Builder b, long ssrc, String cname, Msid msid) {
        b.addSsrc(new SsrcAttribute(ssrc, "cname", cname));
        b.addSsrc(new SsrcAttribute(ssrc, "msid", msid.streamId() + " " + msid.trackId()));
    }

    static List<String> acceptedMids(List<MediaDescription> sections) {
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : sections) {
            if (m.port() != 0 && m.mid() != null) mids.add(m.mid());
        }
        return mids;
    }

    static String describe(MediaDescription m, int index) {
        return m.media() + " m-line " + (m.mid() != null ? "(mid " + m.mid() + ")" : "#" + index);
    }
}
