package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One sent stream (one per simulcast layer) as a peer reports it from getStats outbound-rtp. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutboundRtp(
        String kind,
        long ssrc,
        String rid,
        String mid,
        long packetsSent,
        long bytesSent,
        long framesEncoded,
        int frameWidth,
        int frameHeight) {}
