package org.conclave.tests.e2ee;

/** One encoded frame rebuilt from tapped RTP packets: exactly what the sender's encoded transform emitted. */
public record TappedFrame(String endpointId, long ssrc, long rtpTimestamp, byte[] data) {}
