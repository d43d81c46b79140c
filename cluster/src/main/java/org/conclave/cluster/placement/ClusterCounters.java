package org.conclave.cluster.placement;

import java.util.concurrent.atomic.LongAdder;

/** What placement and failure handling did, for the metrics (read from any thread). */
public final class ClusterCounters {
    private final LongAdder nodeFailures = new LongAdder();
    private final LongAdder endpointsLost = new LongAdder();
    private final LongAdder refusedNoNode = new LongAdder();
    private volatile int nodesAlive;

    void nodesAlive(int n) {
        nodesAlive = n;
    }

    /** SFU nodes heard within the node timeout. */
    public int nodesAlive() {
        return nodesAlive;
    }

    void nodeFailed(int endpoints) {
        nodeFailures.increment();
        endpointsLost.add(endpoints);
    }

    void refused() {
        refusedNoNode.increment();
    }

    /** Nodes declared dead (silent, left the cluster, or restarted). */
    public long nodeFailures() {
        return nodeFailures.sum();
    }

    /** Endpoints (calls) that ended because their node failed. */
    public long endpointsLost() {
        return endpointsLost.sum();
    }

    /** New conferences refused because no node could take them. */
    public long refusedNoNode() {
        return refusedNoNode.sum();
    }
}
