package org.conclave.sfu.control;

import java.util.Objects;

/**
 * @param conferenceId opaque id grouping endpoints that see each other's media
 * @param participantId opaque, stable id of the participant (shown in rosters, never interpreted)
 * @param role host or guest, decided by whoever allocates (the appservice, from room power levels)
 * @param requireE2ee the conference forwards only end-to-end-encrypted (SFrame) media; once any allocation asks
 *     for it, the whole conference requires it from then on
 */
public record AllocateRequest(String conferenceId, String participantId, Role role, boolean requireE2ee) {
    public AllocateRequest(String conferenceId, String participantId, Role role) {
        this(conferenceId, participantId, role, false);
    }

    public AllocateRequest {
        Objects.requireNonNull(conferenceId, "conferenceId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(role, "role");
        if (conferenceId.isBlank()) throw new IllegalArgumentException("conferenceId must not be blank");
    }
}
