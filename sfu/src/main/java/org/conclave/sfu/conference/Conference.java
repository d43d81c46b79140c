package org.conclave.sfu.conference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The endpoints that see each other's media. Control-thread state. */
final class Conference {
    final String id;
    final Map<String, EndpointSession> members = new LinkedHashMap<>();
    /** Sticky: a conference that once required end-to-end encryption never stops requiring it. */
    boolean requireE2ee;
    /** The control protocol's state: roster, floor, host controls. */
    org.conclave.sfu.room.Room room;

    Conference(String id) {
        this.id = id;
    }

    List<EndpointSession> others(EndpointSession self) {
        List<EndpointSession> out = new ArrayList<>();
        for (EndpointSession s : members.values()) {
            if (s != self) out.add(s);
        }
        return out;
    }
}
