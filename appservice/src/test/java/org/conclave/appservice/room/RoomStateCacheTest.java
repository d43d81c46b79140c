package org.conclave.appservice.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.conclave.appservice.event.RoomEvent;
import org.junit.jupiter.api.Test;

class RoomStateCacheTest {
    private static final String BOT = "@bot:hs";
    private static final String ROOM = "!r:hs";

    private final List<Promise<List<JsonObject>>> gets = new ArrayList<>();
    private final RoomStateCache cache = new RoomStateCache(BOT, Set.of(), room -> {
        Promise<List<JsonObject>> p = Promise.promise();
        gets.add(p);
        return p.future();
    });

    private static RoomEvent member(String user, String membership) {
        return new RoomEvent(RoomStateTest.state(user, "m.room.member", user,
                new JsonObject().put("membership", membership)).put("event_id", "$" + user + membership)
                .put("room_id", ROOM));
    }

    @Test
    void oneGetFillsARoomAndEveryoneAskingMeanwhileSharesIt() {
        Future<RoomState> first = cache.get(ROOM);
        Future<RoomState> second = cache.get(ROOM);
        assertThat(gets).hasSize(1);
        assertThat(cache.peek(ROOM)).isNull();

        gets.get(0).complete(List.of(member("@a:hs", "join").json()));

        assertThat(first.result()).isSameAs(second.result());
        assertThat(first.result().membership("@a:hs")).isEqualTo("join");
        assertThat(cache.get(ROOM).result()).isSameAs(first.result());
        assertThat(cache.fetches()).isEqualTo(1);
    }

    @Test
    void transactionsKeepAKeptRoomTrueWithoutAnotherGet() {
        cache.get(ROOM);
        gets.get(0).complete(List.of());

        cache.ingest(member("@a:hs", "join"));
        cache.ingest(member("@a:hs", "ban"));

        assertThat(cache.peek(ROOM).membership("@a:hs")).isEqualTo("ban");
        assertThat(cache.fetches()).isEqualTo(1);
    }

    @Test
    void anEventArrivingWhileTheGetIsOnItsWayWinsOverTheGetsAnswer() {
        Future<RoomState> loading = cache.get(ROOM);
        cache.ingest(member("@a:hs", "leave")); // newer than what the GET will answer

        gets.get(0).complete(List.of(member("@a:hs", "join").json(), member("@b:hs", "join").json()));

        assertThat(loading.result().membership("@a:hs")).isEqualTo("leave");
        assertThat(loading.result().membership("@b:hs")).isEqualTo("join");
    }

    @Test
    void roomsNotAskedForAreNotKeptAndTheBotLeavingDropsARoom() {
        cache.ingest(member("@a:hs", "join"));
        assertThat(cache.peek(ROOM)).isNull();

        cache.get(ROOM);
        gets.get(0).complete(List.of());
        cache.ingest(member(BOT, "leave"));

        assertThat(cache.peek(ROOM)).isNull();
        cache.get(ROOM);
        assertThat(gets).hasSize(2);
    }

    @Test
    void aFailedGetIsNotKeptAndIsTriedAgainNextTime() {
        Future<RoomState> failed = cache.get(ROOM);
        gets.get(0).fail(new IllegalStateException("403"));
        assertThat(failed.failed()).isTrue();

        cache.get(ROOM);
        assertThat(gets).hasSize(2);
    }
}
