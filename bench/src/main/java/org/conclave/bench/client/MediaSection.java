package org.conclave.bench.client;

import java.util.List;

/**
 * One m-section of a remote SDP, as much as the benchmark needs of it.
 *
 * @param kind "audio", "video" or "application"
 * @param port the m-line port (0 = rejected)
 * @param mid its a=mid, or null
 * @param direction sendrecv, sendonly, recvonly or inactive (sendrecv when absent)
 * @param trackId the track id of its a=msid (or a=ssrc msid), or null
 * @param lines every line of the section, the m-line first
 */
public record MediaSection(String kind, int port, String mid, String direction, String trackId, List<String> lines) {
    public MediaSection {
        lines = List.copyOf(lines);
    }

    /** Whether the remote side sends media on it. */
    public boolean remoteSends() {
        return port != 0 && (direction.equals("sendonly") || direction.equals("sendrecv"));
    }
}
