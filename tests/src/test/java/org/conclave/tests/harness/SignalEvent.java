package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One event of an endpoint as the long-poll hands it to peers. {@code type} is one of {@value #OFFER},
 * {@value #CONNECTED}, {@value #FAILED}, {@value #CLOSED}; {@code sdp} is set for offers, {@code reason} and
 * {@code detail} for failures.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignalEvent(long seq, String type, String sdp, String reason, String detail) {
    public static final String OFFER = "offer";
    public static final String CONNECTED = "connected";
    public static final String FAILED = "failed";
    public static final String CLOSED = "closed";
}
