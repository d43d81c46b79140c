package org.conclave.bench.scenario;

import java.util.List;

/**
 * One load level: the participants that join on top of everyone from earlier steps.
 *
 * @param label what the load is at this step, for the table ("4 rooms", "100 viewers")
 */
public record Step(String label, List<Participant> joining) {
    public Step {
        joining = List.copyOf(joining);
    }
}
