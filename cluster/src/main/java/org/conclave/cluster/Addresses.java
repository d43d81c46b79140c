package org.conclave.cluster;

/**
 * Event-bus addresses. Per process they carry the Vert.x cluster node id, unique per start, so that two processes
 * configured with the same node name never share a consumer (and round-robin between them).
 */
public final class Addresses {
    /** Every SFU node publishes its {@link org.conclave.cluster.wire.NodeLoad} here; every appservice listens. */
    public static final String HEARTBEAT = "conclave.cluster.heartbeat";

    private Addresses() {}

    /** Control calls of one SFU node. */
    public static String node(String clusterNodeId) {
        return "conclave.sfu." + clusterNodeId;
    }

    /** Endpoint events for one appservice. */
    public static String events(String clusterNodeId) {
        return "conclave.appservice." + clusterNodeId + ".events";
    }
}
