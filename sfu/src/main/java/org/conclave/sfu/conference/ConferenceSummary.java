package org.conclave.sfu.conference;

import java.util.List;
import org.conclave.sfu.room.RosterEntry;

/**
 * One conference as operators see it (admin API, metrics): plain data taken on the control thread.
 *
 * @param requireE2ee forwards only end-to-end-encrypted media
 * @param locked new guests wait for a host
 * @param roster every participant (endpoint id, participant id, role, waiting, muted, ...), in join order
 */
public record ConferenceSummary(String id, boolean requireE2ee, boolean locked, List<RosterEntry> roster) {
    public ConferenceSummary {
        roster = List.copyOf(roster);
    }
}
