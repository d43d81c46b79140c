package org.conclave.tests.homeserver;

/**
 * Users of other homeservers, acting through the {@link HomeserverDouble} as if their events came over federation:
 * the double checks memberships and power levels for them like for its own users. For tests of
 * {@code calls.allowed_servers}.
 */
public final class RemoteUsers {
    private RemoteUsers() {}

    /** A user of another server ({@code @mallory:evil.org}). */
    public static ScriptedClient of(HomeserverDouble hs, String userId) {
        if (userId.endsWith(":" + hs.serverName())) throw new IllegalArgumentException(userId + " is local");
        return new ScriptedClient(hs, userId);
    }
}
