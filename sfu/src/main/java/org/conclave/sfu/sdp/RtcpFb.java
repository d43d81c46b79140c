package org.conclave.sfu.sdp;

/** a=rtcp-fb:&lt;pt|*&gt; &lt;type&gt; [&lt;subtype and parameters&gt;]; pt {@link #ANY_PT} stands for '*'. */
public record RtcpFb(int pt, String type, String subtype) {
    public static final int ANY_PT = -1;

    public RtcpFb {
        if (pt != ANY_PT) SdpText.requirePayloadType(pt);
        SdpText.token(type, "rtcp-fb type");
        SdpText.optionalNonEmptyText(subtype, "rtcp-fb subtype");
    }

    static RtcpFb parse(String value) {
        String[] head = SdpText.head(value);
        int pt = "*".equals(head[0]) ? ANY_PT : SdpText.payloadType(head[0]);
        if (head[1] == null) throw new IllegalArgumentException("a=rtcp-fb names no feedback type");
        String[] type = SdpText.head(head[1]);
        return new RtcpFb(pt, type[0], type[1]);
    }

    /** "nack", "nack pli", "ccm fir", ... as written after the payload type. */
    public String feedback() {
        return subtype == null ? type : type + " " + subtype;
    }

    public RtcpFb withPt(int newPt) {
        return new RtcpFb(newPt, type, subtype);
    }

    String format() {
        return (pt == ANY_PT ? "*" : Integer.toString(pt)) + " " + feedback();
    }
}
