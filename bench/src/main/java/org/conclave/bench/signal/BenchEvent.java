package org.conclave.bench.signal;

/**
 * An event of an endpoint, as the benchmark servers hand them to the generator in one long-poll for all endpoints.
 *
 * @param type "offer" (the server re-offers; {@code sdp} set), "connected", "failed", "closed"
 */
public record BenchEvent(long seq, String endpoint, String type, String sdp) {
    public static final String OFFER = "offer";
    public static final String CONNECTED = "connected";
    public static final String FAILED = "failed";
    public static final String CLOSED = "closed";
}
