package org.conclave.sfu.sdp;

/** a=msid:&lt;stream id&gt; [&lt;track id&gt;] (RFC 8830); Matrix uses the stream id to tell usermedia from screenshare. */
public record Msid(String streamId, String trackId) {
    public Msid {
        SdpText.token(streamId, "msid stream id");
        SdpText.optionalNonEmptyText(trackId, "msid track id");
    }

    static Msid parse(String value) {
        String[] head = SdpText.head(value);
        return new Msid(head[0], head[1]);
    }

    String format() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
