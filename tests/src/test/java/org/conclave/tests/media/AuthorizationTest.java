package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: a guest sending every host-only command gets M_FORBIDDEN naming the action for each, and nothing
 * changes: media still flows every way, nobody is muted, held, spotlighted or disconnected, the roster and room state
 * stay as they were.
 */
class AuthorizationTest {
    @Test
    void aGuestsHostCommandsAreRefusedAndChangeNothing() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "authz")) {
            ControlRig.Party host = rig.join("host", Role.HOST, true);
            ControlRig.Party guest = rig.join("guest", Role.GUEST, true);
            ControlRig.Party other = rig.join("other", Role.GUEST, true);
            host.dc().call("org.conclave.raise_hand", Map.of(), ControlRig.TIMEOUT);
            other.dc().call("org.conclave.raise_hand", Map.of(), ControlRig.TIMEOUT);
            assertThat(ControlRig.flows(other, host)).isTrue();
            host.dc().awaitRoster(r -> r.size() == 3 && r.get(other.id()).path("hand_position").asInt() == 2,
                    ControlRig.TIMEOUT);
            Map<String, JsonNode> rosterBefore = withoutSpeaking(host.dc().roster());
            int stateMessages = host.dc().contents("org.conclave.room_state").size();
            int count = rig.endpointCount();

            // type -> the action word the error must name
            Map<String, String> commands = new LinkedHashMap<>();
            Map<String, Map<String, Object>> contents = new HashMap<>();
            commands.put("org.conclave.lower_hand", "lower");
            contents.put("org.conclave.lower_hand", Map.of("endpoint_id", other.id()));
            commands.put("org.conclave.lower_all_hands", "lower_all_hands");
            commands.put("org.conclave.lock", "lock");
            commands.put("org.conclave.unlock", "unlock");
            commands.put("org.conclave.admit", "admit");
            commands.put("org.conclave.reject", "reject");
            commands.put("org.conclave.mute", "mute");
            commands.put("org.conclave.unmute", "unmute");
            commands.put("org.conclave.mute_guests", "mute_guests");
            commands.put("org.conclave.unmute_guests", "unmute_guests");
            commands.put("org.conclave.spotlight", "spotlight");
            commands.put("org.conclave.unspotlight", "unspotlight");
            commands.put("org.conclave.disconnect", "disconnect");
            commands.put("org.conclave.disconnect_all", "disconnect_all");
            commands.put("org.conclave.set_focus", "set_focus");
            for (Map.Entry<String, String> c : commands.entrySet()) {
                Map<String, Object> content = contents.getOrDefault(c.getKey(), Map.of("endpoint_id", other.id()));
                JsonNode reply = guest.dc().call(c.getKey(), content, ControlRig.TIMEOUT);
                System.out.printf("AuthorizationTest: %s -> %s%n", c.getKey(), reply);
                assertThat(reply.path("errcode").asText()).as(c.getKey()).isEqualTo("M_FORBIDDEN");
                assertThat(reply.path("request_type").asText()).isEqualTo(c.getKey());
                assertThat(reply.path("error").asText()).as(c.getKey()).containsIgnoringCase(c.getValue());
            }
            // Everything after the refusals: ping round-trips on every channel, so earlier effects would be visible.
            for (ControlRig.Party p : new ControlRig.Party[] {host, guest, other}) {
                assertThat(p.dc().call("m.call.ping", Map.of(), ControlRig.TIMEOUT).isObject()).isTrue();
            }
            for (ControlRig.Party from : new ControlRig.Party[] {host, guest, other}) {
                for (ControlRig.Party to : new ControlRig.Party[] {host, guest, other}) {
                    if (from != to) assertThat(ControlRig.flows(from, to)).as("%s -> %s", from.name(), to.name()).isTrue();
                }
            }
            assertThat(withoutSpeaking(host.dc().roster())).isEqualTo(rosterBefore);
            assertThat(host.dc().contents("org.conclave.room_state")).hasSize(stateMessages);
            assertThat(rig.endpointCount()).isEqualTo(count);
            for (ControlRig.Party p : new ControlRig.Party[] {host, guest, other}) {
                assertThat(p.member().closed).isFalse();
                assertThat(p.dc().contents("org.conclave.please_mute")).isEmpty();
                assertThat(p.dc().contents("org.conclave.disconnected")).isEmpty();
                assertThat(p.dc().contents("org.conclave.waiting_status")).isEmpty();
            }
            assertThat(HandQueueTest.ids(last(other, "org.conclave.hand_queue"))).containsExactly(host.id(), other.id());
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    /** Roster entries with the speaking flag removed (voice activity is not what this test is about). */
    private static Map<String, JsonNode> withoutSpeaking(Map<String, JsonNode> roster) {
        Map<String, JsonNode> out = new HashMap<>();
        roster.forEach((id, e) -> out.put(id, ((com.fasterxml.jackson.databind.node.ObjectNode) e.deepCopy())
                .without("speaking")));
        return out;
    }

    private static JsonNode last(ControlRig.Party p, String type) {
        java.util.List<JsonNode> all = p.dc().contents(type);
        return all.get(all.size() - 1);
    }
}
