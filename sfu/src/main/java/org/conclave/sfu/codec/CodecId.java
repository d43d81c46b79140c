package org.conclave.sfu.codec;

import java.util.Locale;

/**
 * One codec as clients agree on it across their different payload type numbers: name and clock rate, and for H264
 * the packetization mode too (a receiver must not get mode-1 packets on a mode-0 payload type). Parsed once from SDP;
 * the packet path reads {@link #family()}.
 *
 * @param name lower-case encoding name ("vp8", "opus", "h264")
 * @param packetizationMode H264's packetization-mode (0 or 1); -1 for every other codec
 */
public record CodecId(String name, int clockRate, int packetizationMode, CodecFamily family) {

    public CodecId {
        name = name.toLowerCase(Locale.ROOT);
    }

    /** From an SDP {@code a=rtpmap} name and clock rate and its {@code a=fmtp} (null if none). */
    public static CodecId of(String name, int clockRate, String fmtp) {
        String lower = name.toLowerCase(Locale.ROOT);
        CodecFamily family = switch (lower) {
            case "vp8" -> CodecFamily.VP8;
            case "opus" -> CodecFamily.OPUS;
            case "h264" -> CodecFamily.H264;
            default -> CodecFamily.OTHER;
        };
        int mode = family != CodecFamily.H264 ? -1
                : fmtp != null && fmtp.replace(" ", "").contains("packetization-mode=1") ? 1 : 0;
        return new CodecId(lower, clockRate, mode, family);
    }

    public static CodecId vp8() {
        return of("VP8", 90_000, null);
    }

    public static CodecId opus() {
        return of("opus", 48_000, null);
    }

    /** "vp8/90000", "h264/90000;pm=1": for logs. */
    @Override
    public String toString() {
        return name + "/" + clockRate + (packetizationMode >= 0 ? ";pm=" + packetizationMode : "");
    }
}
