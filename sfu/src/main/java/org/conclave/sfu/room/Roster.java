package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each admitted participant's roster view: its filter and what it was last sent, so changes go out as deltas.
 * A publish finds the entries that changed once, then each view looks only at those: O(N + views × changes), not
 * O(views × N) (docs/reliability.md, issue #16).
 */
final class Roster {
    private static final class View {
        RosterFilter filter = RosterFilter.ALL;
        final boolean host;
        /** Ids it was last sent; each was sent as it is in {@link #last}. */
        final Set<String> sent = new HashSet<>();
        boolean snapshotDue = true;
        String requestId;

        View(boolean host) {
            this.host = host;
        }

        boolean sees(RosterEntry e) {
            // Waiting guests are the hosts' business (as in Pexip with a host PIN).
            return (host || !e.waiting()) && filter.matches(e);
        }
    }

    private final Map<String, View> views = new LinkedHashMap<>();
    /** The entries of the last publish, in its order: every view was last sent a subset of these. */
    private Map<String, RosterEntry> last = new LinkedHashMap<>();

    void subscribe(String endpointId, boolean host) {
        views.put(endpointId, new View(host));
    }

    void remove(String endpointId) {
        views.remove(endpointId);
    }

    /** A new filter: the next publish sends a snapshot (echoing {@code requestId}). */
    void setFilter(String endpointId, RosterFilter filter, String requestId) {
        View v = views.get(endpointId);
        if (v == null) return;
        v.filter = filter;
        v.snapshotDue = true;
        v.requestId = requestId;
    }

    /** Sends snapshots where due and deltas where a subscriber's view changed. */
    void publish(List<RosterEntry> entries, RoomOutbox outbox) {
        List<RosterEntry> changed = List.of();
        List<String> stale = List.of();
        if (!sameAsLast(entries)) {
            changed = new ArrayList<>();
            Map<String, RosterEntry> next = new LinkedHashMap<>();
            for (RosterEntry e : entries) {
                next.put(e.id(), e);
                if (!e.equals(last.get(e.id()))) changed.add(e);
            }
            // Ids a view may have to drop (gone or changed), in the order the views were sent them.
            stale = new ArrayList<>();
            for (Map.Entry<String, RosterEntry> e : last.entrySet()) {
                if (!e.getValue().equals(next.get(e.getKey()))) stale.add(e.getKey());
            }
            last = next;
        }
        // Views with the same filter get the same delta: serialized once.
        Map<List<?>, String> deltas = new HashMap<>();
        for (Map.Entry<String, View> e : views.entrySet()) {
            View v = e.getValue();
            if (v.snapshotDue) {
                sendSnapshot(e.getKey(), v, entries, outbox);
            } else if (!changed.isEmpty() || !stale.isEmpty()) {
                sendDelta(e.getKey(), v, changed, stale, deltas, outbox);
            }
        }
    }

    /** Whether the entries are those of the last publish, in the same order (a tick where nothing changed). */
    private boolean sameAsLast(List<RosterEntry> entries) {
        if (entries.size() != last.size()) return false;
        Iterator<RosterEntry> before = last.values().iterator();
        for (RosterEntry e : entries) {
            if (!e.equals(before.next())) return false;
        }
        return true;
    }

    private static void sendSnapshot(String endpointId, View v, List<RosterEntry> entries, RoomOutbox outbox) {
        List<RosterEntry> visible = new ArrayList<>();
        v.sent.clear();
        for (RosterEntry entry : entries) {
            if (v.sees(entry)) {
                visible.add(entry);
                v.sent.add(entry.id());
            }
        }
        outbox.send(endpointId, ServerMessages.rosterSnapshot(v.filter, visible, v.requestId));
        v.snapshotDue = false;
        v.requestId = null;
    }

    /**
     * An entry that did not change since the last publish was sent to the view as it is (or filtered out as it is),
     * so only the changed ones and the stale ids can differ from what the view was sent.
     */
    private void sendDelta(String endpointId, View v, List<RosterEntry> changed, List<String> stale,
            Map<List<?>, String> deltas, RoomOutbox outbox) {
        List<RosterEntry> seen = new ArrayList<>();
        for (RosterEntry entry : changed) {
            if (v.sees(entry)) seen.add(entry);
        }
        List<String> removed = new ArrayList<>();
        for (String id : stale) {
            RosterEntry now = last.get(id);
            if (v.sent.contains(id) && (now == null || !v.sees(now))) removed.add(id);
        }
        for (String id : removed) v.sent.remove(id);
        for (RosterEntry entry : seen) v.sent.add(entry.id());
        if (!seen.isEmpty() || !removed.isEmpty()) {
            outbox.send(endpointId, deltas.computeIfAbsent(List.of(seen, removed),
                    k -> ServerMessages.rosterDelta(seen, removed)));
        }
    }
}
