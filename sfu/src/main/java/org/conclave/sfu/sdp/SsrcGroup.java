package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/** a=ssrc-group:&lt;semantics&gt; &lt;ssrc&gt;... — FID pairs a media SSRC with its RTX SSRC, SIM lists simulcast layers. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public static final String FID = "FID";
    public static final String SIM = "SIM";

    public SsrcGroup {
        SdpText.token(semantics, "ssrc-group semantics");
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.isEmpty()) throw new IllegalArgumentException("a=ssrc-group needs at least one SSRC");
        for (long s : ssrcs) SdpText.requireSsrc(s);
    }

    static SsrcGroup parse(String value) {
        List<String> parts = SdpText.split(value);
        if (parts.isEmpty()) throw new IllegalArgumentException("a=ssrc-group has no semantics");
        List<Long> ssrcs = new ArrayList<>();
        for (String p : parts.subList(1, parts.size())) ssrcs.add(SdpText.number(p, 0xFFFF_FFFFL, "SSRC"));
        return new SsrcGroup(parts.get(0), ssrcs);
    }

    String format() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long s : ssrcs) sb.append(' ').append(s);
        return sb.toString();
    }
}
