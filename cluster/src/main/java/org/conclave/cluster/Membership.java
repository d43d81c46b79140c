package org.conclave.cluster;

import java.util.function.Consumer;

/**
 * Who is in the cluster, as its members see it: this process's cluster node id, and word when another member leaves
 * (a crash or a partition, once the cluster's failure detector decides; or a clean stop).
 */
public interface Membership {
    /** This process's Vert.x cluster node id (new at every start). */
    String localNodeId();

    /** {@code listener} gets the cluster node id of every member that leaves, on a cluster thread. */
    void onMemberLeft(Consumer<String> listener);
}
