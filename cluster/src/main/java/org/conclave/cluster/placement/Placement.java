package org.conclave.cluster.placement;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.conclave.cluster.wire.NodeLoad;

/**
 * Where a new conference goes: among the nodes alive, not draining and not full, the least loaded first. A node's load
 * is the larger of its endpoints' share of {@code sfu.max_endpoints} and its packet thread's busy ratio, so a node
 * busy with a few heavy conferences counts as loaded as one with many light ones; ties go to the node with fewer
 * conferences, then by name (so the order is stable). Endpoints and conferences are the larger of what the node
 * reported and what this appservice placed on it (heartbeats lag a burst of new calls by up to an interval).
 */
final class Placement {
    /** A packet thread busy this much is full: new conferences go elsewhere (the node's own limit still applies). */
    static final double FULL_BUSY_RATIO = 0.9;

    private Placement() {}

    /**
     * @param own endpoints this appservice has on a node, by node name
     * @param ownConferences conferences this appservice placed on a node, by node name
     * @return the nodes a new conference may go to, best first
     */
    static List<NodeLoad> candidates(Collection<NodeLoad> alive, ToIntFunction<String> own,
            ToIntFunction<String> ownConferences) {
        return alive.stream()
                .filter(n -> !n.draining() && endpoints(n, own) < n.maxEndpoints() && n.busyRatio() < FULL_BUSY_RATIO)
                .sorted(Comparator.<NodeLoad>comparingDouble(n -> load(n, own))
                        .thenComparingInt(n -> Math.max(n.conferences(), ownConferences.applyAsInt(n.node())))
                        .thenComparing(NodeLoad::node))
                .toList();
    }

    static double load(NodeLoad n, ToIntFunction<String> own) {
        return Math.max((double) endpoints(n, own) / n.maxEndpoints(), n.busyRatio());
    }

    private static int endpoints(NodeLoad n, ToIntFunction<String> own) {
        return Math.max(n.endpoints(), own.applyAsInt(n.node()));
    }
}
