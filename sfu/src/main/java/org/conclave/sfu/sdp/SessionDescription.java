package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A whole SDP of the WebRTC subset. Nullable components mean "not stated".
 *
 * @param timing the t= value, normally "0 0"
 * @param bundle the mids of a=group:BUNDLE in order, or null when there is no BUNDLE group
 * @param msidSemantic the a=msid-semantic value without leading spaces (e.g. "WMS *"), or null
 * @param otherAttributes session attributes the model does not interpret, in order (other groups included)
 */
public record SessionDescription(
        Origin origin, String sessionName, String timing, Connection connection, List<SdpLine> extraLines,
        List<String> bundle, boolean iceLite, String iceUfrag, String icePwd, String iceOptions,
        List<Fingerprint> fingerprints, Setup setup, String msidSemantic, boolean extmapAllowMixed,
        List<Attribute> otherAttributes, List<MediaDescription> media) {

    public SessionDescription {
        if (origin == null) throw new IllegalArgumentException("o= is missing");
        SdpText.text(sessionName, "s= value", true);
        SdpText.text(timing, "t= value", true);
        extraLines = List.copyOf(extraLines);
        if (bundle != null) {
            bundle = List.copyOf(bundle);
            for (String mid : bundle) SdpText.token(mid, "BUNDLE mid");
        }
        if (iceUfrag != null) SdpText.token(iceUfrag, "a=ice-ufrag");
        if (icePwd != null) SdpText.token(icePwd, "a=ice-pwd");
        SdpText.optionalNonEmptyText(iceOptions, "a=ice-options");
        fingerprints = List.copyOf(fingerprints);
        SdpText.optionalNonEmptyText(msidSemantic, "a=msid-semantic");
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
        Set<String> mids = new HashSet<>();
        for (MediaDescription m : media) {
            if (m.mid() != null && !mids.add(m.mid())) {
                throw new IllegalArgumentException("mid '" + m.mid() + "' is used by two m-lines");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The m-line with this mid, or null. */
    public MediaDescription media(String mid) {
        for (MediaDescription m : media) {
            if (mid.equals(m.mid())) return m;
        }
        return null;
    }

    public boolean inBundle(MediaDescription m) {
        return bundle != null && m.mid() != null && bundle.contains(m.mid());
    }

    /** ICE ufrag of a section: its own, else the session's, else null. */
    public String iceUfragOf(MediaDescription m) {
        return m.iceUfrag() != null ? m.iceUfrag() : iceUfrag;
    }

    public String icePwdOf(MediaDescription m) {
        return m.icePwd() != null ? m.icePwd() : icePwd;
    }

    /** DTLS fingerprints of a section: its own if it has any, else the session's. */
    public List<Fingerprint> fingerprintsOf(MediaDescription m) {
        return m.fingerprints().isEmpty() ? fingerprints : m.fingerprints();
    }

    public Setup setupOf(MediaDescription m) {
        return m.setup() != null ? m.setup() : setup;
    }

    /** Mutable builder; lists are copied on build. */
    public static final class Builder {
        private Origin origin;
        private String sessionName = "-";
        private String timing = "0 0";
        private Connection connection;
        private final List<SdpLine> extraLines = new ArrayList<>();
        private List<String> bundle;
        private boolean iceLite;
        private String iceUfrag;
        private String icePwd;
        private String iceOptions;
        private final List<Fingerprint> fingerprints = new ArrayList<>();
        private Setup setup;
        private String msidSemantic;
        private boolean extmapAllowMixed;
        private final List<Attribute> otherAttributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        private Builder() {}

        private Builder(SessionDescription s) {
            origin = s.origin;
            sessionName = s.sessionName;
            timing = s.timing;
            connection = s.connection;
            extraLines.addAll(s.extraLines);
            bundle = s.bundle == null ? null : new ArrayList<>(s.bundle);
            iceLite = s.iceLite;
            iceUfrag = s.iceUfrag;
            icePwd = s.icePwd;
            iceOptions = s.iceOptions;
            fingerprints.addAll(s.fingerprints);
            setup = s.setup;
            msidSemantic = s.msidSemantic;
            extmapAllowMixed = s.extmapAllowMixed;
            otherAttributes.addAll(s.otherAttributes);
            media.addAll(s.media);
        }

        public Builder origin(Origin v) { origin = v; return this; }
        public Builder sessionName(String v) { sessionName = v; return this; }
        public Builder timing(String v) { timing = v; return this; }
        public Builder connection(Connection v) { connection = v; return this; }
        public Builder addExtraLine(SdpLine v) { extraLines.add(v); return this; }
        public Builder bundle(List<String> v) { bundle = v == null ? null : new ArrayList<>(v); return this; }
        public Builder iceLite(boolean v) { iceLite = v; return this; }
        public Builder iceUfrag(String v) { iceUfrag = v; return this; }
        public Builder icePwd(String v) { icePwd = v; return this; }
        public Builder iceOptions(String v) { iceOptions = v; return this; }
        public Builder addFingerprint(Fingerprint v) { fingerprints.add(v); return this; }
        public Builder setup(Setup v) { setup = v; return this; }
        public Builder msidSemantic(String v) { msidSemantic = v; return this; }
        public Builder extmapAllowMixed(boolean v) { extmapAllowMixed = v; return this; }
        public Builder addAttribute(Attribute v) { otherAttributes.add(v); return this; }
        public Builder addMedia(MediaDescription v) { media.add(v); return this; }
        public Builder clearMedia() { media.clear(); return this; }

        public SessionDescription build() {
            return new SessionDescription(origin, sessionName, timing, connection, extraLines, bundle, iceLite,
                    iceUfrag, icePwd, iceOptions, fingerprints, setup, msidSemantic, extmapAllowMixed,
                    otherAttributes, media);
        }
    }
}
