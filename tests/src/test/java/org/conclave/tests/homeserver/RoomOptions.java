package org.conclave.tests.homeserver;

import java.util.List;
import java.util.Map;

/**
 * How a scripted client's room is created.
 *
 * @param invite users invited right after creation
 * @param direct invites carry {@code is_direct} (a DM)
 * @param powerLevels levels besides the creator's 100
 */
public record RoomOptions(String name, boolean isPublic, boolean encrypted, boolean direct, List<String> invite,
        Map<String, Integer> powerLevels) {
    public RoomOptions {
        invite = List.copyOf(invite);
        powerLevels = Map.copyOf(powerLevels);
    }

    /** A private (invite-only) room. */
    public static RoomOptions privateRoom(String name) {
        return new RoomOptions(name, false, false, false, List.of(), Map.of());
    }

    /** A direct-message room with one invitee, encrypted like clients create them. */
    public static RoomOptions directMessage(String invitee) {
        return new RoomOptions(null, false, true, true, List.of(invitee), Map.of());
    }

    public RoomOptions inviting(String... userIds) {
        return new RoomOptions(name, isPublic, encrypted, direct, List.of(userIds), powerLevels);
    }

    public RoomOptions withPowerLevels(Map<String, Integer> levels) {
        return new RoomOptions(name, isPublic, encrypted, direct, invite, levels);
    }

    public RoomOptions encrypted(boolean value) {
        return new RoomOptions(name, isPublic, value, direct, invite, powerLevels);
    }

    public RoomOptions publicRoom() {
        return new RoomOptions(name, true, encrypted, direct, invite, powerLevels);
    }
}
