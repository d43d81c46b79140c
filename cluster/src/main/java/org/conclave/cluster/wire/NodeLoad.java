package org.conclave.cluster.wire;

/**
 * An SFU node's heartbeat: who it is, where its control calls go, and how loaded it is.
 *
 * @param node its name ({@code cluster.node_name})
 * @param clusterNodeId its Vert.x cluster node id (new at every start: tells a restart from a late heartbeat)
 * @param address the event-bus address of its control calls
 * @param endpoints endpoints it has
 * @param conferences conferences it has
 * @param maxEndpoints {@code sfu.max_endpoints}
 * @param busyRatio share of the last interval its packet thread worked, 0..1
 * @param draining it takes no new conference
 * @param sequence counts up with every load this start of the node reports: a late one never overrides a newer one
 */
public record NodeLoad(String node, String clusterNodeId, String address, int endpoints, int conferences,
        int maxEndpoints, double busyRatio, boolean draining, long sequence) {
    public NodeLoad {
        if (endpoints < 0 || conferences < 0 || maxEndpoints < 1 || sequence < 0) {
            throw new IllegalArgumentException("counts must not be negative, and max endpoints at least 1");
        }
        if (!(busyRatio >= 0 && busyRatio <= 1)) throw new IllegalArgumentException("busy ratio outside 0..1");
    }
}
