package org.conclave.sfu.room;

import org.conclave.sfu.control.Role;

/**
 * One participant as the roster shows it.
 *
 * @param handPosition 1-based place in the hand queue, 0 when the hand is down
 * @param muted muted by a host (the SFU drops its audio)
 * @param selfMuted the client says its microphone is muted (stream metadata)
 * @param audioOnly publishes audio but no video
 * @param mediaRefused the conference requires end-to-end encryption and this participant's media is not encrypted:
 *     nothing of it reaches anyone
 */
public record RosterEntry(String id, String participant, Role role, boolean speaking, boolean waiting,
        int handPosition, boolean spotlight, boolean audioOnly, boolean muted, boolean selfMuted,
        boolean mediaRefused) {}
