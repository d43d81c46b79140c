package org.conclave.appservice.call;

/**
 * One participant's connection as the SFU knows it: a Matrix user on one device. Its SFU participant id is
 * {@code <user id>/<device id>}; a user id cannot hold a {@code /} after its {@code :} (server names have none), so
 * the id splits back at the first {@code /} after the first {@code :}.
 */
record Participant(String userId, String deviceId) {
    String id() {
        return userId + "/" + deviceId;
    }

    /** The participant of an SFU participant id; a device of null when the id has no device part. */
    static Participant parse(String participantId) {
        if (participantId == null) return new Participant(null, null);
        int colon = participantId.indexOf(':');
        int slash = colon < 0 ? -1 : participantId.indexOf('/', colon);
        return slash < 0 ? new Participant(participantId, null)
                : new Participant(participantId.substring(0, slash), participantId.substring(slash + 1));
    }

    /** The server name of a user id ({@code @local:server}), or null. */
    static String serverOf(String userId) {
        int colon = userId == null ? -1 : userId.indexOf(':');
        return colon < 0 ? null : userId.substring(colon + 1);
    }
}
