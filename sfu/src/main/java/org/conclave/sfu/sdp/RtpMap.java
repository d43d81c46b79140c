package org.conclave.sfu.sdp;

/** a=rtpmap:&lt;pt&gt; &lt;encoding&gt;/&lt;clock rate&gt;[/&lt;channels&gt;]. */
public record RtpMap(int pt, String encodingName, int clockRate, Integer channels) {
    public RtpMap {
        SdpText.requirePayloadType(pt);
        SdpText.token(encodingName, "codec name");
        if (encodingName.indexOf('/') >= 0) throw new IllegalArgumentException("codec name must not contain '/'");
        if (clockRate <= 0) throw new IllegalArgumentException("clock rate must be positive");
        if (channels != null && channels <= 0) throw new IllegalArgumentException("channel count must be positive");
    }

    /** Parses the value after "a=rtpmap:". */
    static RtpMap parse(String value) {
        String[] head = SdpText.head(value);
        int pt = SdpText.payloadType(head[0]);
        if (head[1] == null) throw new IllegalArgumentException("a=rtpmap:" + pt + " names no codec");
        String[] enc = head[1].split("/", -1);
        if (enc.length < 2 || enc.length > 3 || enc[0].isEmpty()) {
            throw new IllegalArgumentException("a=rtpmap must be '<pt> <codec>/<clock rate>[/<channels>]'");
        }
        if (SdpText.split(head[1]).size() != 1) throw new IllegalArgumentException("a=rtpmap has extra text after the codec");
        int clock = (int) SdpText.number(enc[1], Integer.MAX_VALUE, "rtpmap clock rate");
        Integer channels = enc.length == 3 ? (int) SdpText.number(enc[2], 255, "rtpmap channel count") : null;
        return new RtpMap(pt, enc[0], clock, channels);
    }

    /** Whether this is the codec named, compared as SDP does (case-insensitive name, exact clock rate). */
    public boolean is(String name, int clock) {
        return encodingName.equalsIgnoreCase(name) && clockRate == clock;
    }

    String format() {
        return pt + " " + encodingName + "/" + clockRate + (channels == null ? "" : "/" + channels);
    }
}
