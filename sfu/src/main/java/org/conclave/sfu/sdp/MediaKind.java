package org.conclave.sfu.sdp;

/** The media type of an m-line; anything but audio, video and application is OTHER. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video"),
    APPLICATION("application"),
    OTHER(null);

    private final String token;

    MediaKind(String token) {
        this.token = token;
    }

    /** The m= token, or null for OTHER (whose token is kept on the m-line itself). */
    public String token() {
        return token;
    }

    public static MediaKind of(String mediaToken) {
        for (MediaKind k : values()) {
            if (k.token != null && k.token.equals(mediaToken)) return k;
        }
        return OTHER;
    }
}
