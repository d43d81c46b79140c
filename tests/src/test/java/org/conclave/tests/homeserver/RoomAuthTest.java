package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules an event must pass to enter a room: input (sender, event) → accepted or Synapse's refusal. */
class RoomAuthTest {
    /**
     * A room created by @c (100) with @mod and @mod2 at 50, @u joined at 0, @inv invited, @ban banned, @out never
     * there; power levels as Synapse's private_chat, except that 50 may change the power levels.
     */
    private static Room room() {
        Room room = new Room("!r:hs");
        room.append(state("@c", "m.room.create", "", new JsonObject().put("room_version", "11")));
        for (String user : new String[] {"@c", "@mod", "@mod2", "@u"}) {
            room.append(state(user, "m.room.member", user, new JsonObject().put("membership", "join")));
        }
        room.append(state("@c", "m.room.member", "@inv", new JsonObject().put("membership", "invite")));
        room.append(state("@c", "m.room.member", "@ban", new JsonObject().put("membership", "ban")));
        room.append(state("@c", "m.room.join_rules", "", new JsonObject().put("join_rule", "invite")));
        room.append(state("@c", "m.room.power_levels", "", levels()));
        return room;
    }

    private static JsonObject levels() {
        return new JsonObject().put("users", new JsonObject().put("@c", 100).put("@mod", 50).put("@mod2", 50))
                .put("users_default", 0).put("events_default", 0).put("state_default", 50).put("invite", 0)
                .put("kick", 50).put("ban", 50).put("redact", 50)
                .put("events", new JsonObject().put("m.room.name", 50).put("m.room.power_levels", 50)
                        .put("m.room.encryption", 100));
    }

    private static JsonObject state(String sender, String type, String key, JsonObject content) {
        return new JsonObject().put("event_id", "$" + Http.random(8)).put("type", type).put("state_key", key)
                .put("sender", sender).put("content", content);
    }

    /**
     * stateKey "-" = a message event; content "levels:PATH=VALUE" = the room's power levels with one change
     * (users.@u=50, users_default=60, users.@mod2 removed by "users.@mod2=-"); expected "ok" or a part of the error.
     */
    @ParameterizedTest(name = "{0} sends {1}/{2} {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            @u    | m.room.message     | -     | {}                         | ok
            @out  | m.room.message     | -     | {}                         | User @out not in room
            @inv  | m.room.message     | -     | {}                         | User @inv not in room
            @u    | m.room.name        |       | {"name":"x"}               | user_level (0) < send_level (50)
            @mod  | m.room.name        |       | {"name":"x"}               | ok
            @mod  | m.room.encryption  |       | {}                         | user_level (50) < send_level (100)
            @u    | org.call           | @u    | {}                         | user_level (0) < send_level (50)
            @mod  | org.call           | @c    | {}                         | not allowed to set others state
            @mod  | org.call           | @mod  | {}                         | ok
            @mod  | org.call           | _@c_D | {}                         | ok
            @u    | m.room.power_levels|       | levels:users.@u=50         | user_level (0) < send_level (50)
            @mod  | m.room.power_levels|       | levels:users.@u=50         | ok
            @mod  | m.room.power_levels|       | levels:users.@u=51         | greater than your own
            @mod  | m.room.power_levels|       | levels:users.@c=0          | greater than your own
            @mod  | m.room.power_levels|       | levels:users.@mod2=0       | remove ops level equal to your own
            @mod  | m.room.power_levels|       | levels:users.@mod=0        | ok
            @mod  | m.room.power_levels|       | levels:users_default=60    | greater than your own
            @mod  | m.room.power_levels|       | levels:events.m.room.encryption=0 | greater than your own
            @c    | m.room.power_levels|       | levels:users.@mod2=0       | ok
            @u    | m.room.member      | @out  | {"membership":"invite"}    | ok
            @out  | m.room.member      | @u    | {"membership":"invite"}    | not in room
            @u    | m.room.member      | @mod  | {"membership":"invite"}    | is already in the room
            @u    | m.room.member      | @ban  | {"membership":"invite"}    | is banned from the room
            @out  | m.room.member      | @out  | {"membership":"join"}      | You are not invited to this room.
            @inv  | m.room.member      | @inv  | {"membership":"join"}      | ok
            @ban  | m.room.member      | @ban  | {"membership":"join"}      | You are banned from this room
            @u    | m.room.member      | @out  | {"membership":"join"}      | Cannot force another user to join.
            @u    | m.room.member      | @u    | {"membership":"leave"}     | ok
            @inv  | m.room.member      | @inv  | {"membership":"leave"}     | ok
            @out  | m.room.member      | @out  | {"membership":"leave"}     | User @out not in room
            @u    | m.room.member      | @mod  | {"membership":"leave"}     | You cannot kick user @mod.
            @mod  | m.room.member      | @u    | {"membership":"leave"}     | ok
            @mod  | m.room.member      | @mod2 | {"membership":"leave"}     | You cannot kick user @mod2.
            @mod  | m.room.member      | @c    | {"membership":"leave"}     | You cannot kick user @c.
            @mod  | m.room.member      | @out  | {"membership":"leave"}     | The target user is not in the room
            @mod  | m.room.member      | @u    | {"membership":"ban"}       | ok
            @u    | m.room.member      | @out  | {"membership":"ban"}       | You don't have permission to ban
            @mod  | m.room.member      | @ban  | {"membership":"leave"}     | ok
            @u    | m.room.member      | @ban  | {"membership":"leave"}     | You cannot kick user @ban.
            @u    | m.room.member      | @u    | {"membership":"knock"}     | Unknown membership knock
            """)
    void rules(String sender, String type, String stateKey, String content, String expected) {
        Room room = room();
        String key = stateKey == null ? "" : stateKey.equals("-") ? null : stateKey;
        JsonObject body = content.startsWith("levels:") ? changedLevels(content.substring(7)) : new JsonObject(content);
        if (expected.equals("ok")) {
            assertThatCode(() -> RoomAuth.check(room, sender, type, key, body)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> RoomAuth.check(room, sender, type, key, body))
                    .isInstanceOf(MatrixFailure.class).hasMessageContaining(expected);
        }
    }

    private static JsonObject changedLevels(String change) {
        JsonObject levels = levels();
        String[] pathAndValue = change.split("=", 2);
        String path = pathAndValue[0];
        int dot = path.indexOf('.');
        JsonObject target = dot < 0 ? levels : levels.getJsonObject(path.substring(0, dot));
        target.put(dot < 0 ? path : path.substring(dot + 1), Integer.parseInt(pathAndValue[1]));
        return levels;
    }
}
