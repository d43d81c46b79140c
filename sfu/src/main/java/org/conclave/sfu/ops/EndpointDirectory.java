package org.conclave.sfu.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live endpoints' conference and participant, by endpoint id: for admin commands addressed by endpoint and for
 * log lines that name an endpoint. Written on allocation and close (control plane only), read from any thread.
 */
public final class EndpointDirectory {
    /** Where one endpoint belongs. */
    public record Entry(String endpointId, String conferenceId, String participantId) {}

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();

    void add(Entry entry) {
        byId.put(entry.endpointId(), entry);
    }

    void remove(String endpointId) {
        byId.remove(endpointId);
    }

    /** The endpoint, or null when unknown or closed. */
    public Entry get(String endpointId) {
        return endpointId == null ? null : byId.get(endpointId);
    }

    public int size() {
        return byId.size();
    }

    /** Conferences with at least one live endpoint (a node's load in a cluster's heartbeat). */
    public int conferences() {
        return (int) byId.values().stream().map(Entry::conferenceId).distinct().count();
    }
}
