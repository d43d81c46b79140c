package org.conclave.appservice.call;

import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.room.RoomState;
import org.conclave.sfu.control.Role;

/**
 * Who gets media, decided before any SFU endpoint exists: the caller's homeserver must be allowed
 * ({@code calls.allowed_servers}), the bot must be in the conference room (to know who belongs to it), the caller
 * must have joined it; a power level from {@code calls.host_power_level} on makes a host, below a guest. The same for
 * every transport and every room the call comes through.
 */
final class CallAuthorizer {
    /** A role, or the words saying why not. */
    record Decision(Role role, String refusal) {
        static Decision refuse(String words) {
            return new Decision(null, words);
        }

        boolean refused() {
            return refusal != null;
        }
    }

    private CallAuthorizer() {}

    /** Whether the caller's homeserver may call at all; checked first, before any lookup. */
    static Decision server(String callerUserId, CallConfig config) {
        String server = Participant.serverOf(callerUserId);
        return config.allows(server) ? null : Decision.refuse(Notices.serverNotAllowed(server));
    }

    /**
     * @param conference the conference room's state, or null when the bot cannot read it (not in the room)
     */
    static Decision decide(String callerUserId, String conferenceRoomId, RoomState conference, CallConfig config) {
        Decision server = server(callerUserId, config);
        if (server != null) return server;
        if (conference == null) return Decision.refuse(Notices.botNotInRoom(conferenceRoomId));
        if (!conference.membership(callerUserId).equals("join")) {
            return Decision.refuse(Notices.notAMember(conferenceRoomId));
        }
        return new Decision(conference.powerLevel(callerUserId) >= config.hostPowerLevel() ? Role.HOST : Role.GUEST,
                null);
    }
}
