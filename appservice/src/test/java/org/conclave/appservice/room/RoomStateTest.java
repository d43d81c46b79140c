package org.conclave.appservice.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoomStateTest {
    private static final String CREATOR = "@creator:hs";

    static JsonObject state(String sender, String type, String key, JsonObject content) {
        return new JsonObject().put("type", type).put("state_key", key).put("sender", sender).put("content", content);
    }

    static JsonObject create(String version) {
        JsonObject content = new JsonObject().put("room_version", version);
        if (Integer.parseInt(version.replaceAll("\\D", "0")) <= 10) content.put("creator", CREATOR);
        return state(CREATOR, "m.room.create", "", content);
    }

    /**
     * room version | power levels content (- = none) | user | level | level needed for the state type org.x
     */
    @ParameterizedTest(name = "v{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10 | -                                                            | @creator:hs | 100                 | 0
            10 | -                                                            | @other:hs   | 0                   | 0
            11 | -                                                            | @creator:hs | 100                 | 0
            10 | {"users": {"@creator:hs": 100, "@a:hs": 30}}                 | @a:hs       | 30                  | 50
            10 | {"users": {"@a:hs": "30"}, "users_default": "5"}             | @b:hs       | 5                   | 50
            10 | {"users": {"@a:hs": "30"}, "state_default": 20}              | @a:hs       | 30                  | 20
            10 | {"events": {"org.x": 75}, "state_default": 20}               | @a:hs       | 0                   | 75
            10 | {"users": {"@a:hs": "thirty"}, "users_default": 3}           | @a:hs       | 3                   | 50
            12 | {"users": {"@a:hs": 100}}                                    | @creator:hs | 9223372036854775807 | 50
            12 | {"users": {"@a:hs": 100}}                                    | @a:hs       | 100                 | 50
            """)
    void powerLevelsFollowTheSpec(String version, String levels, String user, long level, long needed) {
        RoomState room = new RoomState("!r:hs", Set.of());
        room.apply(create(version));
        if (!levels.equals("-")) room.apply(state(CREATOR, "m.room.power_levels", "", new JsonObject(levels)));

        assertThat(room.powerLevel(user)).isEqualTo(level);
        assertThat(room.powerLevels().stateEvent("org.x")).isEqualTo(needed);
    }

    @Test
    void additionalCreatorsOutrankEverythingInVersion12() {
        RoomState room = new RoomState("!r:hs", Set.of());
        room.apply(state(CREATOR, "m.room.create", "", new JsonObject().put("room_version", "12")
                .put("additional_creators", new JsonArray().add("@co:hs"))));
        assertThat(room.powerLevel("@co:hs")).isEqualTo(Long.MAX_VALUE);
        assertThat(room.powerLevel("@x:hs")).isZero();
    }

    @Test
    void membershipsEncryptionAndExtraTypesAreKeptByStateKey() {
        RoomState room = new RoomState("!r:hs", Set.of("org.conclave.call"));
        room.apply(state("@a:hs", "m.room.member", "@a:hs", new JsonObject().put("membership", "join")));
        room.apply(state("@a:hs", "m.room.member", "@b:hs", new JsonObject().put("membership", "invite")));
        room.apply(state("@a:hs", "m.room.member", "@c:hs", new JsonObject().put("membership", "join")));
        room.apply(state("@c:hs", "m.room.member", "@c:hs", new JsonObject().put("membership", "leave")));
        room.apply(state("@a:hs", "org.conclave.call", "g1", new JsonObject().put("m.name", "x")));
        room.apply(state("@a:hs", "m.room.topic", "", new JsonObject().put("topic", "not kept")));
        // A message event (no state key) changes nothing, whatever its type.
        room.apply(new JsonObject().put("type", "m.room.encryption").put("sender", "@a:hs")
                .put("content", new JsonObject()));

        assertThat(room.membership("@a:hs")).isEqualTo("join");
        assertThat(room.membership("@b:hs")).isEqualTo("invite");
        assertThat(room.membership("@c:hs")).isEqualTo("leave");
        assertThat(room.membership("@never:hs")).isEqualTo("leave");
        assertThat(room.joinedCount()).isEqualTo(1);
        assertThat(room.encrypted()).isFalse();
        assertThat(room.extra("org.conclave.call")).containsOnlyKeys("g1");
        assertThat(room.extra("m.room.topic")).isEmpty();

        room.apply(state("@a:hs", "m.room.encryption", "", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")));
        assertThat(room.encrypted()).isTrue();
    }
}
