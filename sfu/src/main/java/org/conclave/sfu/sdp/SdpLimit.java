package org.conclave.sfu.sdp;

import java.util.Locale;

/** Which limit an SDP exceeded; named after the {@code sfu.} key that sets it (metrics label, messages). */
public enum SdpLimit {
    SDP_MAX_CHARS,
    SDP_MAX_MEDIA_SECTIONS,
    SDP_MAX_ATTRIBUTES_PER_SECTION,
    /** One participant's sending m-lines (checked after parsing). */
    MAX_SENDING_MEDIA_LINES,
    /** Simulcast layers of one m-line (checked after parsing). */
    MAX_SIMULCAST_LAYERS;

    /** The key under {@code sfu:}, e.g. {@code sdp_max_media_sections}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
