package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

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

    /** 1-based place in the queue, 0 when the hand is down. */
    int position(String endpointId) {
        int i = 1;
        for (String id : raised) {
            if (id.equals(endpointId)) return i;
            i++;
        }
        return 0;
    }

    List<String> order() {
        return new ArrayList<>(raised);
    }
}
