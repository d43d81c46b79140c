package org.conclave.sfu.sdp;

/** URIs of the RTP header extensions the SFU negotiates. */
public final class RtpHeaderExtensions {
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String SSRC_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_WIDE_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
    public static final String TOFFSET = "urn:ietf:params:rtp-hdrext:toffset";
    public static final String PLAYOUT_DELAY = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

    private RtpHeaderExtensions() {}
}
