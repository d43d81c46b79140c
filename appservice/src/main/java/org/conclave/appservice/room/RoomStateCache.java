package org.conclave.appservice.room;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.appservice.event.RoomEvent;

/**
 * The state of the rooms the bot is in, as far as calls need it (mautrix-go's state store, in memory): fed by the
 * state events of every transaction, and filled by one {@code GET /rooms/{roomId}/state} the first time a room is
 * asked for. A state event that arrives while that GET is on its way wins over the GET's answer (it may be newer);
 * everything in the answer is at least as new as what arrived before it was sent.
 *
 * <p>A room is dropped when the bot leaves it (no events would keep it true) and when more than {@link #MAX_ROOMS}
 * rooms are kept (least recently used first); it is fetched again when next needed. Confined to one Vert.x context.
 */
public final class RoomStateCache {
    /** Rooms kept at most; each costs about one string per member. */
    public static final int MAX_ROOMS = 5_000;

    /** One GET of a room's whole state: the state events (client format), or a failed future. */
    @FunctionalInterface
    public interface StateFetcher {
        Future<List<JsonObject>> fetch(String roomId);
    }

    private static final class Entry {
        final RoomState state;
        /** Non-null while the GET is on its way. */
        Future<RoomState> loading;
        /** Keys set by transactions while loading: the GET's answer must not overwrite them. */
        final Set<String> changedWhileLoading = new HashSet<>();

        Entry(RoomState state) {
            this.state = state;
        }
    }

    private final String botUserId;
    private final Set<String> extraTypes;
    private final StateFetcher fetcher;
    private final Map<String, Entry> rooms = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ROOMS;
        }
    };
    private long fetches;

    /** @param extraTypes state types kept besides membership, power levels, encryption and create */
    public RoomStateCache(String botUserId, Set<String> extraTypes, StateFetcher fetcher) {
        this.botUserId = botUserId;
        this.extraTypes = Set.copyOf(extraTypes);
        this.fetcher = fetcher;
    }

    /** A state event from a transaction (other events are ignored). Only rooms already asked for are kept. */
    public void ingest(RoomEvent event) {
        if (!event.isState()) return;
        String roomId = event.roomId();
        if (event.type().equals(RoomState.MEMBER) && botUserId.equals(event.stateKey())) {
            String membership = event.content().getString("membership", "leave");
            if (membership.equals("leave") || membership.equals("ban")) {
                rooms.remove(roomId);
                return;
            }
        }
        Entry entry = rooms.get(roomId);
        if (entry == null || !entry.state.tracks(event.type())) return;
        entry.state.apply(event.json());
        if (entry.loading != null) entry.changedWhileLoading.add(RoomState.key(event.type(), event.stateKey()));
    }

    /** The room's state: at once when kept, else after one GET (shared by everyone asking meanwhile). */
    public Future<RoomState> get(String roomId) {
        Entry entry = rooms.get(roomId);
        if (entry != null) {
            return entry.loading != null ? entry.loading : Future.succeededFuture(entry.state);
        }
        Entry fresh = new Entry(new RoomState(roomId, extraTypes));
        rooms.put(roomId, fresh);
        fetches++;
        Promise<RoomState> loaded = Promise.promise();
        fresh.loading = loaded.future();
        fetcher.fetch(roomId).onComplete(ar -> {
            fresh.loading = null;
            if (ar.failed()) {
                rooms.remove(roomId, fresh);
                loaded.fail(ar.cause());
                return;
            }
            for (JsonObject event : ar.result()) {
                Object type = event.getValue("type");
                Object stateKey = event.getValue("state_key");
                if (type instanceof String t && stateKey instanceof String k
                        && !fresh.changedWhileLoading.contains(RoomState.key(t, k))) {
                    fresh.state.apply(event);
                }
            }
            fresh.changedWhileLoading.clear();
            loaded.complete(fresh.state);
        });
        return loaded.future();
    }

    /** The room's state if kept and loaded, else null; never fetches. */
    public RoomState peek(String roomId) {
        Entry entry = rooms.get(roomId);
        return entry == null || entry.loading != null ? null : entry.state;
    }

    /** GETs made so far (for tests and metrics). */
    public long fetches() {
        return fetches;
    }
}
