package org.conclave.cluster.placement;

import org.conclave.cluster.wire.NodeLoad;

/**
 * One SFU node as an appservice sees it (admin API {@code GET /admin/v1/nodes}).
 *
 * @param load its latest heartbeat
 * @param alive heard within the node timeout and still in the cluster
 * @param heardMsAgo since its latest heartbeat
 * @param placedEndpoints endpoints this appservice has on it
 * @param placedConferences the conferences this appservice placed on it that still run
 */
public record NodeView(NodeLoad load, boolean alive, long heardMsAgo, int placedEndpoints,
        java.util.List<String> placedConferences) {}
