package org.conclave.sfu.sdp;

/** a=ssrc:&lt;ssrc&gt; &lt;attribute&gt;[:&lt;value&gt;] (RFC 5576), e.g. cname or msid. */
public record SsrcAttribute(long ssrc, String attribute, String value) {
    public SsrcAttribute {
        SdpText.requireSsrc(ssrc);
        SdpText.token(attribute, "a=ssrc attribute name");
        if (attribute.indexOf(':') >= 0) throw new IllegalArgumentException("a=ssrc attribute name must not contain ':'");
        if (value != null) SdpText.text(value, "a=ssrc value", true);
    }

    static SsrcAttribute parse(String value) {
        String[] head = SdpText.head(value);
        long ssrc = SdpText.number(head[0], 0xFFFF_FFFFL, "SSRC");
        if (head[1] == null) throw new IllegalArgumentException("a=ssrc:" + ssrc + " has no attribute after the SSRC");
        int colon = head[1].indexOf(':');
        if (colon < 0) return new SsrcAttribute(ssrc, head[1], null);
        return new SsrcAttribute(ssrc, head[1].substring(0, colon), head[1].substring(colon + 1));
    }

    String format() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }
}
