package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Raised hands in the order they went up; raising again keeps the place. */
final class HandQueue {
    private final LinkedHashSet<String> raised = new LinkedHashSet<>();

    /** @return whether the hand was down before */
    boolean raise(String endpointId) {
        return raised.add(endpointId);
    }

    /** @return whether the hand was up */
    boolean lower(String endpointId) {
        return raised.remove(endpointId);
    }

    /** @return whether any hand was up */
    boolean lowerAll() {
        boolean any = !raised.isEmpty();
        raised.clear();
        return any;
    }

    /** Each raised hand's 1-based place in the queue (absent: down); one pass, for a whole roster. */
    Map<String, Integer> positions() {
        Map<String, Integer> out = new HashMap<>();
        for (String id : raised) out.put(id, out.size() + 1);
        return out;
    }

    List<String> order() {
        return new ArrayList<>(raised);
    }
}
