package org.conclave.tests.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline of one conference room in the {@link RoomRelay}: events numbered from 1, and who is in the room.
 * A member reads only what was sent while it was in the room, from its own join up to its leave, as with a megolm
 * session that is shared on join and rotated on leave. Not media: a plain monitor is fine.
 */
public final class RoomTimeline {
    /** Thrown to a caller that is not (or no longer) in the room. */
    public static final class NotMember extends IllegalStateException {
        NotMember(String message) {
            super(message);
        }
    }

    /** @param left sequence number of the leave event, 0 while in the room */
    private record Membership(long joined, long left) {
        boolean present() {
            return left == 0;
        }
    }

    private final String roomId;
    private final List<RoomEvent> events = new ArrayList<>();
    private final Map<String, Membership> members = new HashMap<>();
    private final Map<String, Long> deliveredUpTo = new HashMap<>();
    private boolean shutDown;

    RoomTimeline(String roomId) {
        this.roomId = roomId;
    }

    public String roomId() {
        return roomId;
    }

    /** Appends the member's join event (again after a leave; a no-op returning the old join while present). */
    public synchronized RoomEvent join(String member) {
        Membership m = members.get(member);
        if (m != null && m.present()) return events.get((int) m.joined() - 1);
        RoomEvent event = append(RoomEvent.MEMBER, member, membership("join"));
        members.put(member, new Membership(event.seq(), 0));
        return event;
    }

    /** Appends the member's leave event; it reads nothing sent afterwards. */
    public synchronized RoomEvent leave(String member) {
        Membership m = present(member);
        RoomEvent event = append(RoomEvent.MEMBER, member, membership("leave"));
        members.put(member, new Membership(m.joined(), event.seq()));
        return event;
    }

    /** Appends an event from a member in the room. */
    public synchronized RoomEvent send(String member, String type, JsonNode content) {
        present(member);
        return append(type, member, content);
    }

    /**
     * The events after {@code after} that {@code member} may see, waiting up to {@code wait} for the first; empty
     * when none came in time. A member that left may still read up to its own leave event.
     */
    public synchronized List<RoomEvent> read(String member, long after, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Membership m = members.get(member);
            if (m == null) throw new NotMember(member + " is not in room " + roomId);
            long from = Math.max(after, m.joined() - 1);
            long to = m.present() ? events.size() : m.left();
            if (from >= to && !m.present()) throw new NotMember(member + " left room " + roomId);
            if (from < to) {
                deliveredUpTo.merge(member, to, Math::max);
                return List.copyOf(events.subList((int) from, (int) to));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || shutDown) return List.of();
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Every event so far. */
    public synchronized List<RoomEvent> events() {
        return List.copyOf(events);
    }

    /** The events of that type so far. */
    public synchronized List<RoomEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** The highest sequence number ever handed to {@code member} (0 if none). */
    public synchronized long deliveredUpTo(String member) {
        return deliveredUpTo.getOrDefault(member, 0L);
    }

    synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }

    private Membership present(String member) {
        Membership m = members.get(member);
        if (m == null || !m.present()) throw new NotMember(member + " is not in room " + roomId);
        return m;
    }

    private RoomEvent append(String type, String sender, JsonNode content) {
        RoomEvent event = new RoomEvent(events.size() + 1L, type, sender, content);
        events.add(event);
        notifyAll();
        return event;
    }

    private static JsonNode membership(String value) {
        return JsonNodeFactory.instance.objectNode().put("membership", value);
    }
}
