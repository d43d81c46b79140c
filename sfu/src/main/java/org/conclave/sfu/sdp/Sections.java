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
