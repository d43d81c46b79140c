package org.conclave.appservice.intent;

import java.nio.charset.StandardCharsets;

/** Client-server API paths with ids percent-encoded as path segments ({@code !room:server}, {@code @u:s}, ...). */
public final class Paths {
    public static final String V3 = "/_matrix/client/v3";
    private static final String HEX = "0123456789ABCDEF";

    private Paths() {}

    /** RFC 3986 path segment: everything but unreserved characters is encoded, so '/', '?', '#' cannot escape. */
    public static String segment(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return out.toString();
    }
}
