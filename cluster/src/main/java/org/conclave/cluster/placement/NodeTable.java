package org.conclave.cluster.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.cluster.wire.NodeLoad;

/**
 * The SFU nodes an appservice has heard of, by name, fed by their heartbeats: the latest load of each, when it was
 * heard, and whether it counts as alive. A node is dead once it is silent for the node timeout or once the cluster
 * says it left; a heartbeat from a new start of a node (another cluster node id under the same name) means the old
 * start is dead. A dead node that is heard again (a partition healed) is alive again, with nothing on it. Pure state,
 * no threads: the caller passes the time.
 */
final class NodeTable {
    /** One node as the appservice knows it. */
    record Entry(NodeLoad load, long heardNanos, boolean alive) {}

    /** What a heartbeat changed: the node is new (or back), and a previous start of it that is now dead. */
    record Heard(boolean arrived, NodeLoad replaced) {}

    private final long timeoutNanos;
    private final Map<String, Entry> byName = new LinkedHashMap<>();

    NodeTable(long timeoutMs) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /** A heartbeat (or a fresh load in an answer); an older load of the same start than the one held is ignored. */
    Heard heard(NodeLoad load, long now) {
        Entry before = byName.get(load.node());
        boolean restarted = before != null && !before.load().clusterNodeId().equals(load.clusterNodeId());
        if (before != null && !restarted && load.sequence() <= before.load().sequence()) return new Heard(false, null);
        byName.put(load.node(), new Entry(load, now, true));
        if (before == null) return new Heard(true, null);
        return new Heard(!before.alive() || restarted, restarted && before.alive() ? before.load() : null);
    }

    /** The nodes that just went silent for too long, now marked dead. */
    List<NodeLoad> expire(long now) {
        List<NodeLoad> dead = new ArrayList<>();
        byName.replaceAll((name, e) -> {
            if (e.alive() && now - e.heardNanos() > timeoutNanos) {
                dead.add(e.load());
                return new Entry(e.load(), e.heardNanos(), false);
            }
            return e;
        });
        return dead;
    }

    /** The node of that cluster node id left the cluster: marked dead and returned, or null if none was alive. */
    NodeLoad left(String clusterNodeId) {
        for (Map.Entry<String, Entry> e : byName.entrySet()) {
            Entry n = e.getValue();
            if (n.alive() && n.load().clusterNodeId().equals(clusterNodeId)) {
                e.setValue(new Entry(n.load(), n.heardNanos(), false));
                return n.load();
            }
        }
        return null;
    }

    /** The node's latest load if it is alive, else null. */
    NodeLoad alive(String name) {
        Entry e = byName.get(name);
        return e != null && e.alive() ? e.load() : null;
    }

    /** Whether this start of a node is the one alive now. */
    boolean current(NodeLoad node) {
        NodeLoad now = alive(node.node());
        return now != null && now.clusterNodeId().equals(node.clusterNodeId());
    }

    Collection<NodeLoad> aliveNodes() {
        return byName.values().stream().filter(Entry::alive).map(Entry::load).toList();
    }

    Collection<Entry> all() {
        return List.copyOf(byName.values());
    }
}
