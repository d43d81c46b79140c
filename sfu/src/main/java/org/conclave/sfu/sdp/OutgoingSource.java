package org.conclave.sfu.sdp;

/**
 * One stream the SFU sends down to a client, on its own m-line.
 *
 * @param mid the m-line's mid; a new mid appends an m-line, a known one updates it in place
 * @param kind AUDIO or VIDEO
 * @param rtxSsrc the SSRC of its RTX stream, or null (audio has none)
 * @param active false sets the m-line inactive (the sender is gone or paused) without removing it
 */
public record OutgoingSource(String mid, MediaKind kind, long ssrc, Long rtxSsrc, String streamId, String trackId,
                             String cname, boolean active) {
    public OutgoingSource {
        SdpText.token(mid, "mid");
        if (kind != MediaKind.AUDIO && kind != MediaKind.VIDEO) {
            throw new IllegalArgumentException("a downstream source is audio or video, not " + kind);
        }
        SdpText.requireSsrc(ssrc);
        if (rtxSsrc != null) SdpText.requireSsrc(rtxSsrc);
        SdpText.token(streamId, "msid stream id");
        SdpText.token(trackId, "msid track id");
        SdpText.token(cname, "cname");
    }
}
