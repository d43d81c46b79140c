package org.conclave.sfu.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** a=fmtp:&lt;pt&gt; &lt;parameters&gt;, parameters kept verbatim; {@link #apt()} is the RTX association. */
public record Fmtp(int pt, String params) {
    public Fmtp {
        SdpText.requirePayloadType(pt);
        SdpText.text(params, "fmtp parameters", false);
        String apt = value(params, "apt");
        if (apt != null) SdpText.number(apt, 127, "fmtp apt (the payload type RTX repairs)");
    }

    static Fmtp parse(String value) {
        String[] head = SdpText.head(value);
        return new Fmtp(SdpText.payloadType(head[0]), head[1] == null ? "" : head[1]);
    }

    /** key=value pairs split on ';' (keys lower-cased, values trimmed); a part without '=' maps to "". */
    public Map<String, String> parameters() {
        return parameters(params);
    }

    public String parameter(String key) {
        return value(params, key);
    }

    /** The payload type an RTX format repairs (apt=), or null. */
    public Integer apt() {
        String apt = value(params, "apt");
        return apt == null ? null : (int) SdpText.number(apt, 127, "apt");
    }

    private static Map<String, String> parameters(String params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : params.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq).trim()).toLowerCase(Locale.ROOT);
            out.putIfAbsent(key, eq < 0 ? "" : p.substring(eq + 1).trim());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * {@code parameters(params).get(key)} without building the map: re-offers and answers ask every m-line's RTX
     * format for its apt= (issue #16, docs/reliability.md). The first part with the key wins, as putIfAbsent does.
     */
    private static String value(String params, String key) {
        int start = 0;
        while (start <= params.length()) {
            int end = params.indexOf(';', start);
            if (end < 0) end = params.length();
            String p = params.substring(start, end).trim();
            start = end + 1;
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if ((eq < 0 ? p : p.substring(0, eq).trim()).toLowerCase(Locale.ROOT).equals(key)) {
                return eq < 0 ? "" : p.substring(eq + 1).trim();
            }
        }
        return null;
    }
}
