package org.conclave.sfu.sdp;

import java.util.List;

/**
 * A media codec of an m-line as the forwarding code sees it.
 *
 * @param fmtp the format parameters verbatim, or null
 * @param rtcpFbs the feedback lines that apply to it (its own and '*')
 * @param rtxPt the payload type of the RTX format repairing it, or null
 */
public record Codec(int pt, String name, int clockRate, Integer channels, String fmtp, List<RtcpFb> rtcpFbs,
                    Integer rtxPt) {
    public Codec {
        SdpText.requirePayloadType(pt);
        SdpText.token(name, "codec name");
        rtcpFbs = List.copyOf(rtcpFbs);
    }

    public boolean is(String codecName) {
        return name.equalsIgnoreCase(codecName);
    }

    public boolean hasFeedback(String feedback) {
        for (RtcpFb fb : rtcpFbs) {
            if (fb.feedback().equals(feedback)) return true;
        }
        return false;
    }
}
