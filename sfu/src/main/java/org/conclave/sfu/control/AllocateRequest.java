package org.conclave.sfu.control;

import java.util.Objects;

/**
 * @param conferenceId opaque id grouping endpoints that see each other's media
 * @param participantId opaque, stable id of the participant (shown in rosters, never interpreted)
 * @param role host or guest, decided by whoever allocates (the appservice, from room power levels)
 */
public record AllocateRequest(String conferenceId, String participantId, Role role) {
    public AllocateRequest {
        Objects.requireNonNull(conferenceId, "conferenceId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(role, "role");
        if (conferenceId.isBlank()) throw new IllegalArgumentException("conferenceId must not be blank");
    }
}
