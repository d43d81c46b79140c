package org.conclave.sfu.sdp;

/** a=msid:&lt;stream id&gt; [&lt;track id&gt;] (RFC 8830); Matrix uses the stream id to tell usermedia from screenshare. */
public record Msid(String streamId, String trackId) {
    /**
     * RFC 8830: each id is 1 to 64 characters. Enforced because the SFU repeats a sender's ids in every receiver's
     * offer and in Matrix stream metadata: one client's long ids would swell everyone's signalling.
     */
    public static final int MAX_ID_CHARS = 64;

    public Msid {
        SdpText.token(streamId, "msid stream id");
        SdpText.optionalNonEmptyText(trackId, "msid track id");
        if (streamId.length() > MAX_ID_CHARS || trackId != null && trackId.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("an msid id is longer than " + MAX_ID_CHARS + " characters (RFC 8830)");
        }
    }

    static Msid parse(String value) {
        String[] head = SdpText.head(value);
        return new Msid(head[0], head[1]);
    }

    String format() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
