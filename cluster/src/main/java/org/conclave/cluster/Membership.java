package org.conclave.cluster;

import java.util.function.Consumer;

/**
 * Who is in the cluster, as its members see it: this process's cluster node id, whether a cluster node id is a member
 * now, and word when another member leaves (a crash or a partition, once the cluster's failure detector decides; or a
 * clean stop). Ids are Vert.x cluster node ids, the ones event-bus addresses carry.
 */
public interface Membership {
    /** This process's Vert.x cluster node id (new at every start). */
    String localNodeId();

    /**
     * Whether that cluster node id is a member now. A process the cluster removed (frozen, cut off) is not, even if
     * a message it sent still arrives, until it merges back in.
     */
    boolean isMember(String clusterNodeId);

    /** {@code listener} gets the cluster node id of every member that leaves, on a cluster thread. */
    void onMemberLeft(Consumer<String> listener);
}
