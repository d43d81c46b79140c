package org.conclave.sfu.forward;

import java.util.Locale;

/**
 * How codecs are matched across clients, whose payload type numbers differ: by name and clock rate, and for H264 by
 * packetization mode too (a receiver must not get mode-1 packets on a mode-0 payload type).
 */
public final class CodecKey {
    private CodecKey() {}

    public static String of(String name, int clockRate, String fmtp) {
        String key = name.toLowerCase(Locale.ROOT) + "/" + clockRate;
        if (key.startsWith("h264/")) {
            key += ";pm=" + (fmtp != null && fmtp.replace(" ", "").contains("packetization-mode=1") ? "1" : "0");
        }
        return key;
    }
}
