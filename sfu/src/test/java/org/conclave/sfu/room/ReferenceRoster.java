package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roster as it was before issue #16 (main at a3ecdae), kept verbatim as the specification: each publish filters
 * and compares every entry for every view, O(views × N). {@link Roster} must send exactly what this sends.
 */
final class ReferenceRoster {
    private static final class View {
        RosterFilter filter = RosterFilter.ALL;
        final boolean host;
        Map<String, RosterEntry> sent = Map.of();
        boolean snapshotDue = true;
        String requestId;

        View(boolean host) {
            this.host = host;
        }
    }

    private final Map<String, View> views = new LinkedHashMap<>();

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
        for (Map.Entry<String, View> e : views.entrySet()) {
            View v = e.getValue();
            Map<String, RosterEntry> visible = new LinkedHashMap<>();
            for (RosterEntry entry : entries) {
                // Waiting guests are the hosts' business (as in Pexip with a host PIN).
                if (entry.waiting() && !v.host) continue;
                if (v.filter.matches(entry)) visible.put(entry.id(), entry);
            }
            if (v.snapshotDue) {
                outbox.send(e.getKey(), ServerMessages.rosterSnapshot(v.filter, visible.values(), v.requestId));
                v.snapshotDue = false;
                v.requestId = null;
            } else {
                List<RosterEntry> changed = new ArrayList<>();
                for (RosterEntry entry : visible.values()) {
                    if (!entry.equals(v.sent.get(entry.id()))) changed.add(entry);
                }
                List<String> removed = new ArrayList<>();
                for (String id : v.sent.keySet()) {
                    if (!visible.containsKey(id)) removed.add(id);
                }
                if (!changed.isEmpty() || !removed.isEmpty()) {
                    outbox.send(e.getKey(), ServerMessages.rosterDelta(changed, removed));
                }
            }
            v.sent = visible;
        }
    }
}
