package org.conclave.appservice.call;

import org.conclave.sfu.control.Role;

/** One participant's call with the bot: the DM it is signalled in, and the SFU endpoint carrying its media. */
final class CallSession {
    final String callId;
    final String dmRoomId;
    final String userId;
    final String deviceId;
    final String remotePartyId;
    final String conferenceRoomId;
    final String partyId;
    Role role;
    String endpointId;
    boolean connected;
    boolean ended;

    CallSession(String callId, String dmRoomId, String userId, String deviceId, String remotePartyId,
            String conferenceRoomId, String partyId) {
        this.callId = callId;
        this.dmRoomId = dmRoomId;
        this.userId = userId;
        this.deviceId = deviceId;
        this.remotePartyId = remotePartyId;
        this.conferenceRoomId = conferenceRoomId;
        this.partyId = partyId;
    }

    /** Calls are told apart by call id and caller: a call id is only unique per caller. */
    String key() {
        return key(callId, userId);
    }

    static String key(String callId, String userId) {
        return userId + "\u0000" + callId;
    }
}
