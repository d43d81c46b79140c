package org.conclave.sfu.room;

import java.util.List;

/**
 * The conference-wide state every admitted participant is told about, and told again when it changes.
 *
 * @param focus the participant hosts want everyone to look at; null means "follow the dominant speaker"
 * @param spotlight spotlighted participants in the order hosts spotlighted them
 */
public record RoomState(boolean locked, boolean guestsMuted, String focus, List<String> spotlight) {}
