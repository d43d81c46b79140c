package org.conclave.sfu.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SFU's answer to a client's offer.
 *
 * @param rejected m-lines answered with port 0, by mid (or "#index" without mid), with the reason
 */
public record Answer(SessionDescription description, Negotiated negotiated, NegotiationState state,
                     Map<String, String> rejected) {
    public Answer {
        rejected = Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
    }

    public String sdp() {
        return SdpWriter.write(description);
    }
}
