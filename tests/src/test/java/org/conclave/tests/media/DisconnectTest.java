package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/** Issue #6: a host disconnects one participant, then everyone else: the endpoints close at the SFU. */
class DisconnectTest {
    @Test
    void disconnectOneThenAll() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "bye")) {
            ControlRig.Party host = rig.join("host", Role.HOST, true);
            ControlRig.Party a = rig.join("a", Role.GUEST, true);
            ControlRig.Party b = rig.join("b", Role.GUEST, true);
            ControlRig.Party c = rig.join("c", Role.HOST, true);
            assertThat(rig.endpointCount()).isEqualTo(4);

            host.dc().send("org.conclave.disconnect", Map.of("endpoint_id", a.id(), "reason", "be quiet"));
            var told = a.dc().await("org.conclave.disconnected", ControlRig.TIMEOUT);
            assertThat(told.path("reason").asText()).isEqualTo("be quiet");
            assertThat(told.path("by").asText()).isEqualTo(host.id());
            assertThat(JavaRig.await(() -> a.member().closed, ControlRig.TIMEOUT)).as("a closed").isTrue();
            assertThat(rig.endpointCount()).isEqualTo(3);
            b.dc().awaitRoster(r -> !r.containsKey(a.id()) && r.size() == 3, ControlRig.TIMEOUT);
            assertThat(b.member().closed).isFalse();
            assertThat(ControlRig.flows(b, host)).as("the others go on").isTrue();

            // A waiting guest is disconnected by disconnect_all too.
            host.dc().send("org.conclave.lock", Map.of());
            host.dc().await(0, "org.conclave.room_state", s -> s.path("locked").asBoolean(), ControlRig.TIMEOUT);
            ControlRig.Party w = rig.join("w", Role.GUEST, false);
            w.dc().await("org.conclave.waiting_status", ControlRig.TIMEOUT);
            assertThat(rig.endpointCount()).isEqualTo(4);

            host.dc().send("org.conclave.disconnect_all", Map.of());
            for (ControlRig.Party p : new ControlRig.Party[] {b, c, w}) {
                assertThat(JavaRig.await(() -> p.member().closed, ControlRig.TIMEOUT)).as("%s closed", p.name()).isTrue();
                assertThat(p.dc().await("org.conclave.disconnected", ControlRig.TIMEOUT).path("by").asText())
                        .isEqualTo(host.id());
            }
            assertThat(rig.endpointCount()).isEqualTo(1);
            assertThat(host.member().closed).isFalse();
            host.dc().awaitRoster(r -> r.keySet().equals(java.util.Set.of(host.id())), ControlRig.TIMEOUT);
            assertThat(host.dc().call("m.call.ping", Map.of(), ControlRig.TIMEOUT).isObject()).isTrue();
            System.out.printf("DisconnectTest: endpoints 4 -> 3 after disconnect, 4 with a waiter -> 1 after "
                    + "disconnect_all%n");
        }
    }
}
