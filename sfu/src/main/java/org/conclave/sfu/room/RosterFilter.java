package org.conclave.sfu.room;

import java.util.Locale;
import java.util.Set;

/** Which roster entries a subscriber sees: all criteria must match, and the participant id contain {@code name}. */
record RosterFilter(Set<RosterCriterion> criteria, String name) {
    static final RosterFilter ALL = new RosterFilter(Set.of(), "");

    RosterFilter {
        criteria = Set.copyOf(criteria);
        name = name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    boolean matches(RosterEntry e) {
        for (RosterCriterion c : criteria) {
            if (!c.matches(e)) return false;
        }
        return name.isEmpty() || e.participant().toLowerCase(Locale.ROOT).contains(name);
    }
}
