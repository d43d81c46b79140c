package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.room.RoomState;
import org.conclave.appservice.room.RoomStateCache;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who gets media: server allowed or not × member or not × power level, without sockets. */
class CallAuthorizerTest {
    private static final String ROOM = "!conf:allowed.org";
    private static final CallConfig CONFIG = new CallConfig(List.of("allowed.org", "other.org:8448"), 50, true, 30_000);

    /**
     * caller | bot in the room | caller's membership (none = never there) | caller's level (- = users_default 0) |
     * HOST, GUEST, or words of the refusal
     */
    @ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            @a:allowed.org       | true  | join   | 100 | HOST
            @a:allowed.org       | true  | join   | 50  | HOST
            @a:allowed.org       | true  | join   | 49  | GUEST
            @a:allowed.org       | true  | join   | -   | GUEST
            @a:other.org:8448    | true  | join   | 0   | GUEST
            @a:allowed.org       | true  | invite | 100 | You are not a member of the conference room !conf:allowed.org
            @a:allowed.org       | true  | leave  | 100 | You are not a member
            @a:allowed.org       | true  | ban    | 100 | You are not a member
            @a:allowed.org       | true  | none   | -   | You are not a member
            @a:allowed.org       | false | join   | 100 | I am not in the conference room !conf:allowed.org
            @a:blocked.org       | true  | join   | 100 | does not take calls from users of blocked.org
            @a:blocked.org       | true  | none   | -   | does not take calls from users of blocked.org
            @a:blocked.org       | false | join   | 100 | does not take calls from users of blocked.org
            @a:other.org         | true  | join   | 100 | does not take calls from users of other.org
            """)
    void decides(String caller, boolean botInRoom, String membership, String level, String expected) throws Exception {
        RoomState state = botInRoom ? room(caller, membership, level) : null;

        CallAuthorizer.Decision decision = CallAuthorizer.decide(caller, ROOM, state, CONFIG);

        switch (expected) {
            case "HOST" -> assertThat(decision).isEqualTo(new CallAuthorizer.Decision(Role.HOST, null));
            case "GUEST" -> assertThat(decision).isEqualTo(new CallAuthorizer.Decision(Role.GUEST, null));
            default -> {
                assertThat(decision.refused()).isTrue();
                assertThat(decision.refusal()).contains(expected);
            }
        }
        // The server check alone gives the same refusal, before anything is looked up.
        CallAuthorizer.Decision server = CallAuthorizer.server(caller, CONFIG);
        assertThat(server == null).isEqualTo(!expected.contains("does not take calls"));
    }

    /** The room as its state GET answers: the caller with that membership and level. */
    private static RoomState room(String caller, String membership, String level) throws Exception {
        List<JsonObject> events = new ArrayList<>();
        events.add(ServiceRig.state(ROOM, "@owner:allowed.org", "m.room.create", "",
                new JsonObject().put("room_version", "10").put("creator", "@owner:allowed.org")));
        if (!membership.equals("none")) events.add(ServiceRig.member(ROOM, caller, membership));
        events.add(ServiceRig.powerLevels(ROOM, level.equals("-") ? Map.of("@owner:allowed.org", 100)
                : Map.of("@owner:allowed.org", 100, caller, Integer.parseInt(level))));
        RoomStateCache cache = new RoomStateCache("@bot:allowed.org", java.util.Set.of(),
                room -> Future.succeededFuture(events));
        return cache.get(ROOM).await(1, TimeUnit.SECONDS);
    }
}
