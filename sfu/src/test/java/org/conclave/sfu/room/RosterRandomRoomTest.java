package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A room driven by 500 random changes (joins, leaves, waiting room, hands, mutes, spotlights, speaking, filters,
 * media refusals, ticks), for hosts and guests: after every change each subscriber was sent, byte for byte and in
 * order, what {@link ReferenceRoster} (the roster before issue #16) sends for the same room, and what it holds (its
 * snapshot plus the deltas since) is the room's roster under its filter.
 */
class RosterRandomRoomTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMES = {"", "a", "1", "@p", "example"};

    private final FakeClock clock = new FakeClock();
    private final RawOutbox out = new RawOutbox();
    private final Room room = new Room("conf", RoomOptions.DEFAULTS.withWaitingTimeout(Duration.ofSeconds(3)), clock,
            new RecordingMedia(), out);
    private final ReferenceRoster reference = new ReferenceRoster();
    private final RawOutbox referenceOut = new RawOutbox();
    private final Map<String, Role> roles = new HashMap<>();
    /** Each subscriber's filter, and what it holds from the messages it got. */
    private final Map<String, RosterFilter> filters = new HashMap<>();
    private final Map<String, Map<String, String>> held = new HashMap<>();
    private Random random;
    private int joined;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void everySubscriberGetsWhatTheReferenceSendsAndHoldsTheFilteredRoster(long seed) throws Exception {
        random = new Random(seed);
        for (int step = 0; step < 500; step++) {
            List<String> before = ids();
            int mark = out.sent.size();
            int referenceMark = referenceOut.sent.size();
            String op = change();
            mirror(before, mark);
            List<String> sent = out.rosterSince(mark);
            assertThat(sent).as("seed %d step %d (%s)", seed, step, op)
                    .containsExactlyElementsOf(referenceOut.rosterSince(referenceMark));
            for (String m : sent) apply(m);
            for (String who : filters.keySet()) {
                assertThat(held.get(who)).as("seed %d step %d (%s): %s holds", seed, step, op, who)
                        .isEqualTo(truth(who));
            }
        }
    }

    /** Tells the reference what the room's roster was told (subscribe, remove, filter), then publishes on it. */
    private void mirror(List<String> before, int mark) throws Exception {
        Set<String> now = new HashSet<>(ids());
        for (String id : before) {
            if (!now.contains(id)) {
                reference.remove(id);
                filters.remove(id);
                held.remove(id);
            }
        }
        for (String s : out.sent.subList(mark, out.sent.size())) {
            if (!s.contains("\"type\":\"org.conclave.welcome\"")) continue;
            String id = s.substring(0, s.indexOf(' '));
            reference.subscribe(id, roles.get(id) == Role.HOST);
            filters.put(id, RosterFilter.ALL);
        }
        if (pendingFilter != null && filters.containsKey(pendingFilterFor)) {
            reference.setFilter(pendingFilterFor, pendingFilter, "r");
            filters.put(pendingFilterFor, pendingFilter);
        }
        pendingFilter = null;
        reference.publish(room.roster(), referenceOut);
    }

    private RosterFilter pendingFilter;
    private String pendingFilterFor;

    private List<String> ids() {
        return room.roster().stream().map(RosterEntry::id).toList();
    }

    private List<RosterEntry> entries(boolean waiting) {
        return room.roster().stream().filter(e -> e.waiting() == waiting).toList();
    }

    private String any(List<RosterEntry> from) {
        return from.isEmpty() ? "nobody" : from.get(random.nextInt(from.size())).id();
    }

    /** A host to give host commands, or anyone (who is then refused). */
    private String host() {
        List<RosterEntry> hosts = entries(false).stream().filter(e -> e.role() == Role.HOST).toList();
        return hosts.isEmpty() ? any(room.roster()) : any(hosts);
    }

    /** One random change, through one call on the room; returns what it was. */
    private String change() {
        int size = room.roster().size();
        int pick = random.nextInt(size < 3 ? 3 : size > 20 ? 30 : 34);
        String in = any(entries(false));
        String op;
        switch (pick) {
            case 0, 1, 2, 30, 31, 32, 33 -> {
                String id = "p" + joined++;
                Role role = random.nextInt(4) == 0 ? Role.HOST : Role.GUEST;
                roles.put(id, role);
                room.join(id, "@" + id + ":example.org", role);
                op = "join " + id + " " + role;
            }
            case 3, 4 -> {
                room.leave(op = any(room.roster()));
                op = "leave " + op;
            }
            case 5 -> op = tracks(in);
            case 6 -> {
                String waiter = any(entries(true));
                room.channelOpened(waiter);
                op = "channel " + waiter;
            }
            case 7, 8 -> {
                clock.advanceMillis(random.nextInt(1500));
                room.tick();
                op = "tick";
            }
            case 9 -> {
                Map<String, Integer> levels = new HashMap<>();
                for (RosterEntry e : room.roster()) if (random.nextBoolean()) levels.put(e.id(), random.nextInt(128));
                room.onAudioLevels(levels);
                op = "levels " + levels;
            }
            case 10 -> {
                room.setMediaRefused(in, random.nextBoolean() ? "not encrypted" : null);
                op = "media refused " + in;
            }
            case 11, 12 -> op = filter(in);
            default -> op = message(pick, in);
        }
        return op;
    }

    private String tracks(String who) {
        List<RoomTrack> t = switch (random.nextInt(3)) {
            case 0 -> List.of();
            case 1 -> List.of(new RoomTrack("s-" + who, "a-" + who, MediaKind.AUDIO));
            default -> List.of(new RoomTrack("s-" + who, "a-" + who, MediaKind.AUDIO),
                    new RoomTrack("s-" + who, "v-" + who, MediaKind.VIDEO));
        };
        room.setTracks(who, t);
        return "tracks " + who + " " + t.size();
    }

    private String filter(String who) {
        List<RosterCriterion> criteria = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            criteria.add(RosterCriterion.values()[random.nextInt(RosterCriterion.values().length)]);
        }
        String name = NAMES[random.nextInt(NAMES.length)];
        Set<RosterCriterion> kept = new HashSet<>(criteria);
        kept.remove(RosterCriterion.ALL); // as the parser does: "all" is no criterion
        pendingFilter = new RosterFilter(kept, name);
        pendingFilterFor = who;
        StringBuilder wire = new StringBuilder();
        for (RosterCriterion c : criteria) wire.append(wire.isEmpty() ? "" : ",").append('"').append(c.wire()).append('"');
        send(who, "org.conclave.roster_filter", "{\"filters\":[" + wire + "],\"name\":\"" + name
                + "\",\"request_id\":\"r\"}");
        return "filter " + who + " " + criteria + " '" + name + "'";
    }

    private String message(int pick, String in) {
        String target = any(room.roster());
        String waiter = any(entries(true));
        String host = host();
        record M(String from, String type, String content) {}
        M m = switch (pick) {
            case 13, 14, 15 -> new M(in, "org.conclave.raise_hand", "{}");
            case 16, 17 -> new M(in, "org.conclave.lower_hand", "{}");
            case 18 -> new M(host, "org.conclave.lower_hand", "{\"endpoint_id\":\"" + target + "\"}");
            case 19 -> new M(host, "org.conclave.lower_all_hands", "{}");
            case 20 -> new M(host, random.nextBoolean() ? "org.conclave.lock" : "org.conclave.unlock", "{}");
            case 21 -> new M(host, random.nextBoolean() ? "org.conclave.admit" : "org.conclave.reject",
                    "{\"endpoint_id\":\"" + waiter + "\"}");
            case 22, 23 -> new M(host, random.nextBoolean() ? "org.conclave.mute" : "org.conclave.unmute",
                    "{\"endpoint_id\":\"" + target + "\"}");
            case 24 -> new M(host, random.nextBoolean() ? "org.conclave.mute_guests" : "org.conclave.unmute_guests",
                    "{}");
            case 25 -> new M(host, random.nextBoolean() ? "org.conclave.spotlight" : "org.conclave.unspotlight",
                    "{\"endpoint_id\":\"" + target + "\"}");
            case 26 -> new M(host, "org.conclave.disconnect", "{\"endpoint_id\":\"" + target + "\"}");
            case 27 -> new M(in, "org.conclave.speaking", "{\"speaking\":" + random.nextBoolean() + "}");
            default -> new M(in, "m.call.sdp_stream_metadata_changed", "{\"sdp_stream_metadata\":{\"s-" + in
                    + "\":{\"purpose\":\"m.usermedia\",\"audio_muted\":" + random.nextBoolean()
                    + ",\"video_muted\":false}}}");
        };
        send(m.from, m.type, m.content);
        return m.from + " " + m.type + " " + m.content;
    }

    private void send(String from, String type, String content) {
        room.onMessage(from, "{\"type\":\"" + type + "\",\"content\":" + content + "}");
    }

    /** What a client does with a roster message: a snapshot replaces what it holds, a delta patches it. */
    private void apply(String sent) throws Exception {
        String who = sent.substring(0, sent.indexOf(' '));
        JsonNode c = JSON.readTree(sent.substring(who.length() + 1)).get("content");
        Map<String, String> h = c.get("snapshot").asBoolean() ? new HashMap<>() : held.get(who);
        for (JsonNode e : c.has("entries") ? c.get("entries") : c.get("changed")) h.put(e.get("id").asText(), e.toString());
        if (c.has("removed")) c.get("removed").forEach(id -> h.remove(id.asText()));
        held.put(who, h);
    }

    /** The room's roster as {@code who} should see it: its filter, and waiters only for hosts. */
    private Map<String, String> truth(String who) throws Exception {
        Map<String, String> t = new LinkedHashMap<>();
        for (RosterEntry e : room.roster()) {
            if ((roles.get(who) == Role.HOST || !e.waiting()) && filters.get(who).matches(e)) {
                String delta = ServerMessages.rosterDelta(List.of(e), List.of());
                t.put(e.id(), JSON.readTree(delta).get("content").get("changed").get(0).toString());
            }
        }
        return t;
    }
}
