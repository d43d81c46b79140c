package org.conclave.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.conclave.cluster.wire.NodeLoad;
import org.junit.jupiter.api.Test;

/** The node table's life cycle, with the time passed in: heard, silent, left, restarted, back, stale loads. */
class NodeTableTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final NodeTable table = new NodeTable(3000);

    @Test
    void aNodeHeardIsAliveUntilSilentForTheTimeout() {
        assertThat(table.heard(load("a", "id1", 1, 0), 0).arrived()).isTrue();
        assertThat(table.heard(load("a", "id1", 2, 3), 1000 * MS).arrived()).isFalse();
        assertThat(table.expire(4000 * MS)).isEmpty();
        assertThat(table.expire(4001 * MS)).extracting(NodeLoad::node).containsExactly("a");
        assertThat(table.alive("a")).isNull();
        assertThat(table.expire(9000 * MS)).as("a dead node dies once").isEmpty();
        assertThat(table.heard(load("a", "id1", 3, 0), 9000 * MS).arrived()).as("a healed partition").isTrue();
        assertThat(table.alive("a").sequence()).isEqualTo(3);
    }

    @Test
    void aLateLoadNeverOverridesANewerOne() {
        table.heard(load("a", "id1", 5, 7), 0);
        NodeTable.Heard late = table.heard(load("a", "id1", 4, 1), 10 * MS);
        assertThat(late.arrived()).isFalse();
        assertThat(table.alive("a").endpoints()).isEqualTo(7);
    }

    @Test
    void aNewStartUnderTheSameNameReplacesTheOldOne() {
        table.heard(load("a", "id1", 50, 7), 0);
        NodeTable.Heard heard = table.heard(load("a", "id2", 1, 0), 10 * MS);
        assertThat(heard.arrived()).isTrue();
        assertThat(heard.replaced().clusterNodeId()).isEqualTo("id1");
        assertThat(table.current(load("a", "id1", 50, 7))).isFalse();
        assertThat(table.current(load("a", "id2", 1, 0))).isTrue();
    }

    @Test
    void aNodeThatLeftTheClusterIsDeadAtOnce() {
        table.heard(load("a", "id1", 1, 0), 0);
        table.heard(load("b", "id2", 1, 0), 0);
        assertThat(table.left("id1").node()).isEqualTo("a");
        assertThat(table.left("id1")).as("left twice").isNull();
        assertThat(table.left("unknown")).isNull();
        assertThat(table.aliveNodes()).extracting(NodeLoad::node).containsExactly("b");
        assertThat(table.all()).hasSize(2);
    }

    private static NodeLoad load(String name, String id, long sequence, int endpoints) {
        return new NodeLoad(name, id, "conclave.sfu." + id, endpoints, 0, 500, 0, false, sequence);
    }
}
