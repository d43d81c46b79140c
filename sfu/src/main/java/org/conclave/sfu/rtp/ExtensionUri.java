package org.conclave.sfu.rtp;

import java.util.HashMap;
import java.util.Map;

/** The RTP header extensions the SFU understands, by their SDP {@code a=extmap} URI. */
public enum ExtensionUri {
    MID("urn:ietf:params:rtp-hdrext:sdes:mid"),
    RTP_STREAM_ID("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
    REPAIRED_RTP_STREAM_ID("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
    AUDIO_LEVEL("urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
    ABS_SEND_TIME("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
    TRANSPORT_WIDE_CC("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
    TOFFSET("urn:ietf:params:rtp-hdrext:toffset"),
    VIDEO_ORIENTATION("urn:3gpp:video-orientation"),
    PLAYOUT_DELAY("http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"),
    DEPENDENCY_DESCRIPTOR("https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension");

    private static final Map<String, ExtensionUri> BY_URI = new HashMap<>();

    static {
        for (ExtensionUri e : values()) {
            BY_URI.put(e.uri, e);
        }
    }

    private final String uri;

    ExtensionUri(String uri) {
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }

    /** The extension with exactly this URI (SDP compares URIs case-sensitively), or null if unknown or null. */
    public static ExtensionUri fromUri(String uri) {
        return uri == null ? null : BY_URI.get(uri.trim());
    }
}
