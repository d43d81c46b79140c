package org.conclave.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.conclave.cluster.wire.NodeLoad;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Input → output: the nodes alive, what this appservice placed on them, and the order new conferences try them. */
class PlacementTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                row("the least loaded by endpoints first", List.of(node("a", 50, 2, 0.1), node("b", 10, 1, 0.1)),
                        Map.of(), Map.of(), List.of("b", "a")),
                row("a busy packet thread outweighs few endpoints", List.of(node("a", 10, 1, 0.6),
                        node("b", 100, 9, 0.1)), Map.of(), Map.of(), List.of("b", "a")),
                row("ties go to fewer conferences, then by name", List.of(node("c", 0, 2, 0), node("b", 0, 1, 0),
                        node("a", 0, 1, 0)), Map.of(), Map.of(), List.of("a", "b", "c")),
                row("a draining node is skipped", List.of(draining("a"), node("b", 400, 9, 0.5)), Map.of(), Map.of(),
                        List.of("b")),
                row("a node at max_endpoints is skipped", List.of(node("a", 500, 9, 0.2), node("b", 499, 9, 0.2)),
                        Map.of(), Map.of(), List.of("b")),
                row("a packet thread busy 90% is full", List.of(node("a", 0, 0, 0.9), node("b", 0, 0, 0.89)),
                        Map.of(), Map.of(), List.of("b")),
                row("what this appservice placed since the last heartbeat counts", List.of(node("a", 0, 0, 0),
                        node("b", 5, 1, 0)), Map.of("a", 20), Map.of("a", 1), List.of("b", "a")),
                row("placed endpoints may fill a node before its heartbeat says so", List.of(node("a", 0, 0, 0),
                        node("b", 0, 0, 0)), Map.of("a", 500), Map.of("a", 3), List.of("b")),
                row("conferences placed since the heartbeat break ties", List.of(node("a", 0, 0, 0),
                        node("b", 0, 0, 0)), Map.of(), Map.of("a", 1), List.of("b", "a")),
                row("no node alive: nowhere", List.of(), Map.of(), Map.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ordersTheCandidates(String what, List<NodeLoad> alive, Map<String, Integer> ownEndpoints,
            Map<String, Integer> ownConferences, List<String> expected) {
        List<String> order = Placement.candidates(alive, n -> ownEndpoints.getOrDefault(n, 0),
                n -> ownConferences.getOrDefault(n, 0)).stream().map(NodeLoad::node).toList();
        assertThat(order).isEqualTo(expected);
    }

    private static Arguments row(String what, List<NodeLoad> alive, Map<String, Integer> own,
            Map<String, Integer> ownConferences, List<String> expected) {
        return Arguments.of(what, alive, own, ownConferences, expected);
    }

    static NodeLoad node(String name, int endpoints, int conferences, double busy) {
        return new NodeLoad(name, name + "-id", "conclave.sfu." + name, endpoints, conferences, 500, busy, false, 1);
    }

    private static NodeLoad draining(String name) {
        return new NodeLoad(name, name + "-id", "conclave.sfu." + name, 0, 0, 500, 0, true, 1);
    }
}
