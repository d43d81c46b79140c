package org.conclave.appservice.call;

import java.util.LinkedHashSet;
import java.util.Set;

/** A conference room's running call: who is connected, and the MSC3401 call state the bot published for it. */
final class ConferenceCall {
    final String roomId;
    final Set<CallSession> connected = new LinkedHashSet<>();
    /** The state key of the published {@code org.matrix.msc3401.call} event; null while no call runs. */
    String callStateId;

    ConferenceCall(String roomId) {
        this.roomId = roomId;
    }
}
