package org.conclave.keyexchange.frame;

import java.util.Locale;

/** Which readable-prefix rule a frame follows (see {@link ReadablePrefix}). */
public enum FrameCodec {
    VP8,
    OPUS,
    H264,
    /** Nothing stays readable: for codecs without a rule (VP9, AV1, G.711 ...) or when the SFU needs no codec bytes. */
    WHOLE_FRAME;

    /** The rule for an RTP mime type such as {@code video/VP8}; codecs without a rule get {@link #WHOLE_FRAME}. */
    public static FrameCodec fromMimeType(String mimeType) {
        String subtype = mimeType.substring(mimeType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
        return switch (subtype) {
            case "vp8" -> VP8;
            case "opus" -> OPUS;
            case "h264" -> H264;
            default -> WHOLE_FRAME;
        };
    }
}
