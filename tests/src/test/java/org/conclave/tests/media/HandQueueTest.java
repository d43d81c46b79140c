package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/** Issue #6: raised hands queue in order (raising again keeps the place); own hand down; a host lowers another's. */
class HandQueueTest {
    @Test
    void handsQueueInOrderAndAHostLowersOne() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "hands")) {
            ControlRig.Party host = rig.join("host", Role.HOST, false);
            ControlRig.Party a = rig.join("a", Role.GUEST, false);
            ControlRig.Party b = rig.join("b", Role.GUEST, false);
            ControlRig.Party c = rig.join("c", Role.GUEST, false);

            for (ControlRig.Party p : List.of(a, b, c)) {
                int mark = host.dc().mark();
                p.dc().send("org.conclave.raise_hand", Map.of());
                host.dc().await(mark, "org.conclave.hand_queue", q -> ids(q).contains(p.id()), ControlRig.TIMEOUT);
            }
            a.dc().call("org.conclave.raise_hand", Map.of(), ControlRig.TIMEOUT); // again: keeps its place
            assertThat(ids(last(host, "org.conclave.hand_queue"))).containsExactly(a.id(), b.id(), c.id());
            host.dc().awaitRoster(r -> r.get(a.id()).path("hand_position").asInt() == 1
                    && r.get(b.id()).path("hand_position").asInt() == 2
                    && r.get(c.id()).path("hand_position").asInt() == 3, ControlRig.TIMEOUT);

            b.dc().send("org.conclave.lower_hand", Map.of());
            c.dc().await(0, "org.conclave.hand_queue", q -> ids(q).equals(List.of(a.id(), c.id())), ControlRig.TIMEOUT);

            host.dc().send("org.conclave.lower_hand", ControlRig.target(a));
            JsonNode q = c.dc().await(0, "org.conclave.hand_queue", x -> ids(x).equals(List.of(c.id())),
                    ControlRig.TIMEOUT);
            assertThat(q.path("queue").get(0).path("participant").asText()).isEqualTo("@c:example.org");
            c.dc().awaitRoster(r -> r.get(a.id()).path("hand_raised").asBoolean() == false
                    && r.get(a.id()).path("hand_position").isNull()
                    && r.get(c.id()).path("hand_position").asInt() == 1, ControlRig.TIMEOUT);

            JsonNode refused = a.dc().call("org.conclave.lower_hand", ControlRig.target(c), ControlRig.TIMEOUT);
            assertThat(refused.path("errcode").asText()).isEqualTo("M_FORBIDDEN");
            host.dc().send("org.conclave.lower_all_hands", Map.of());
            c.dc().await(0, "org.conclave.hand_queue", x -> ids(x).isEmpty(), ControlRig.TIMEOUT);
            System.out.printf("HandQueueTest: queues the host was told: %s%n", host.dc().contents("org.conclave.hand_queue")
                    .stream().map(x -> x.path("queue").findValuesAsText("participant")).toList());
        }
    }

    static List<String> ids(JsonNode handQueue) {
        List<String> out = new ArrayList<>();
        handQueue.path("queue").forEach(e -> out.add(e.path("endpoint_id").asText()));
        return out;
    }

    private static JsonNode last(ControlRig.Party p, String type) {
        List<JsonNode> all = p.dc().contents(type);
        return all.get(all.size() - 1);
    }
}
