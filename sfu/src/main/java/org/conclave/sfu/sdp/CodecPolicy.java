package org.conclave.sfu.sdp;

import static org.conclave.sfu.sdp.RtpHeaderExtensions.ABS_SEND_TIME;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.MID;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.PLAYOUT_DELAY;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.REPAIRED_RTP_STREAM_ID;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.RTP_STREAM_ID;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.SSRC_AUDIO_LEVEL;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.TOFFSET;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.TRANSPORT_WIDE_CC;
import static org.conclave.sfu.sdp.RtpHeaderExtensions.VIDEO_ORIENTATION;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What the SFU forwards: codecs, feedback and header extensions. The SFU never decodes, so this is about what the
 * forwarding, rate control and key-frame logic understand, and what every receiver can decode.
 */
final class CodecPolicy {
    static final int VIDEO_CLOCK = 90000;
    static final int OPUS_CLOCK = 48000;
    /** Header extensions accepted on the client's upstream m-lines. */
    static final Set<String> UPSTREAM_EXTENSIONS = Set.of(MID, RTP_STREAM_ID, REPAIRED_RTP_STREAM_ID,
            SSRC_AUDIO_LEVEL, ABS_SEND_TIME, TRANSPORT_WIDE_CC, VIDEO_ORIENTATION, TOFFSET, PLAYOUT_DELAY);
    /**
     * Header extensions on what the SFU sends down: the ones forwarded as the sender wrote them, and transport-cc,
     * which the SFU stamps with its own per-receiver sequence to estimate the receiver's downlink (no mid/rid).
     */
    static final List<String> DOWNSTREAM_AUDIO_EXTENSIONS = List.of(SSRC_AUDIO_LEVEL, ABS_SEND_TIME, TRANSPORT_WIDE_CC);
    static final List<String> DOWNSTREAM_VIDEO_EXTENSIONS = List.of(ABS_SEND_TIME, TOFFSET, VIDEO_ORIENTATION,
            PLAYOUT_DELAY, TRANSPORT_WIDE_CC);
    /** Ids used for downstream extensions when the client never negotiated them (Chromium's numbering). */
    static final Map<String, Integer> DEFAULT_EXTENSION_IDS = Map.of(SSRC_AUDIO_LEVEL, 1, ABS_SEND_TIME, 2,
            PLAYOUT_DELAY, 5, VIDEO_ORIENTATION, 13, TOFFSET, 14, TRANSPORT_WIDE_CC, 3);
    static final Set<String> VIDEO_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc",
            "ccm tmmbr");
    static final Set<String> AUDIO_FEEDBACK = Set.of("transport-cc");
    static final String TRANSPORT_CC_FEEDBACK = "transport-cc";
    static final Set<String> OPUS_PARAMETERS_KEPT = Set.of("minptime", "useinbandfec");

    private CodecPolicy() {}

    static List<String> downstreamExtensions(MediaKind kind) {
        return kind == MediaKind.AUDIO ? DOWNSTREAM_AUDIO_EXTENSIONS : DOWNSTREAM_VIDEO_EXTENSIONS;
    }

    static boolean isOpus(RtpMap m) {
        return m.is("opus", OPUS_CLOCK) && m.channels() != null && m.channels() == 2;
    }

    static boolean isRtx(RtpMap m) {
        return m.is("rtx", VIDEO_CLOCK);
    }

    /** VP8, or H264 in packetization-mode 1 (mode 0 allows only single NAL units, which the SFU does not assume). */
    static boolean isForwardedVideo(RtpMap m, Fmtp fmtp) {
        if (m.is("VP8", VIDEO_CLOCK)) return true;
        return m.is("H264", VIDEO_CLOCK) && fmtp != null && "1".equals(fmtp.parameter("packetization-mode"));
    }

    /** The Opus fmtp the SFU answers: only the parameters it keeps, or null when none is left. */
    static String opusParameters(Fmtp offered) {
        if (offered == null) return null;
        StringJoiner kept = new StringJoiner(";");
        offered.parameters().forEach((k, v) -> {
            if (OPUS_PARAMETERS_KEPT.contains(k)) kept.add(k + "=" + v);
        });
        return kept.length() == 0 ? null : kept.toString();
    }

    /** Whether a feedback line is accepted; transport-cc only with the transport-wide-cc extension on the m-line. */
    static boolean acceptsFeedback(MediaKind kind, RtcpFb fb, boolean transportCcExtension) {
        String f = fb.feedback();
        if (f.equals(TRANSPORT_CC_FEEDBACK) && !transportCcExtension) return false;
        return kind == MediaKind.VIDEO ? VIDEO_FEEDBACK.contains(f) : AUDIO_FEEDBACK.contains(f);
    }

    static boolean isSrtpProfile(String proto) {
        return proto.equals("UDP/TLS/RTP/SAVPF") || proto.equals("TCP/TLS/RTP/SAVPF") || proto.equals("UDP/TLS/RTP/SAVP");
    }

    static boolean isDataChannelProfile(String proto) {
        return proto.equals("UDP/DTLS/SCTP") || proto.equals("TCP/DTLS/SCTP") || proto.equals(LEGACY_SCTP_PROTO);
    }

    /** Pre-RFC 8841 data channel m-line, still sent by aiortc 1.4: "m=application 9 DTLS/SCTP 5000" + a=sctpmap. */
    static final String LEGACY_SCTP_PROTO = "DTLS/SCTP";
}
