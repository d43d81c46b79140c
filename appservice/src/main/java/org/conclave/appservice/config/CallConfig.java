package org.conclave.appservice.config;

import java.util.List;
import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * Section {@code calls}: who may call the SFU user and how calls behave.
 *
 * @param allowedServers homeservers whose users may invite and call the SFU user; {@code *} allows every server
 * @param hostPowerLevel power level in the conference room from which a caller is a host (else a guest)
 * @param requireE2eeInEncryptedRooms a conference whose room is encrypted forwards only end-to-end-encrypted media
 * @param negotiateLifetimeMs the {@code lifetime} the SFU puts on its {@code m.call.negotiate} offers
 * @param limits the per-user and per-room caps on invites and calls
 */
public record CallConfig(List<String> allowedServers, int hostPowerLevel, boolean requireE2eeInEncryptedRooms,
        int negotiateLifetimeMs, CallLimits limits) {
    public static final String SECTION = "calls";
    public static final String ALLOWED_SERVERS = "allowed_servers";
    public static final String HOST_POWER_LEVEL = "host_power_level";
    public static final String REQUIRE_E2EE_IN_ENCRYPTED_ROOMS = "require_e2ee_in_encrypted_rooms";
    public static final String NEGOTIATE_LIFETIME_MS = "negotiate_lifetime_ms";

    public static final List<String> DEFAULT_ALLOWED_SERVERS = List.of("*");
    public static final int DEFAULT_HOST_POWER_LEVEL = 50;
    public static final boolean DEFAULT_REQUIRE_E2EE = true;
    public static final int DEFAULT_NEGOTIATE_LIFETIME_MS = 30_000;

    public CallConfig {
        ConfigValidator v = new ConfigValidator(SECTION)
                .check(!allowedServers.isEmpty(), ALLOWED_SERVERS, "must list at least one server or *", allowedServers)
                .range(HOST_POWER_LEVEL, hostPowerLevel, 0, 1_000_000)
                .range(NEGOTIATE_LIFETIME_MS, negotiateLifetimeMs, 1000, 600_000);
        for (String server : allowedServers) {
            v.check(server.equals("*") || isServerName(server),
                    ALLOWED_SERVERS, "must be * or Matrix server names (example.org, matrix.example.org:8448)", server);
        }
        v.throwIfInvalid();
        allowedServers = List.copyOf(allowedServers);
        if (limits == null) limits = CallLimits.DEFAULTS;
    }

    /** With the default limits. */
    public CallConfig(List<String> allowedServers, int hostPowerLevel, boolean requireE2eeInEncryptedRooms,
            int negotiateLifetimeMs) {
        this(allowedServers, hostPowerLevel, requireE2eeInEncryptedRooms, negotiateLifetimeMs, CallLimits.DEFAULTS);
    }

    public static CallConfig defaults() {
        return new CallConfig(DEFAULT_ALLOWED_SERVERS, DEFAULT_HOST_POWER_LEVEL, DEFAULT_REQUIRE_E2EE,
                DEFAULT_NEGOTIATE_LIFETIME_MS);
    }

    public static CallConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        List<String> servers = s.stringList(ALLOWED_SERVERS, DEFAULT_ALLOWED_SERVERS);
        int host = s.integer(HOST_POWER_LEVEL, DEFAULT_HOST_POWER_LEVEL);
        boolean e2ee = s.bool(REQUIRE_E2EE_IN_ENCRYPTED_ROOMS, DEFAULT_REQUIRE_E2EE);
        int lifetime = s.integer(NEGOTIATE_LIFETIME_MS, DEFAULT_NEGOTIATE_LIFETIME_MS);
        CallLimits limits = CallLimits.read(s);
        return s.build(() -> new CallConfig(servers, host, e2ee, lifetime, limits));
    }

    /**
     * A Matrix server name as the config accepts it: {@code [A-Za-z0-9.-]+} or {@code [<hex digits, : and .>]}, then
     * optionally {@code :<1 to 5 digits>}. A scan, not a regex: String.matches compiled the pattern on every call.
     */
    static boolean isServerName(String s) {
        int colon = s.lastIndexOf(':');
        int hostEnd = s.length();
        if (colon >= 0 && (!s.startsWith("[") || colon > s.indexOf(']'))) {
            if (!digits(s, colon + 1, s.length(), 5)) return false;
            hostEnd = colon;
        }
        if (s.startsWith("[")) {
            return hostEnd >= 3 && s.charAt(hostEnd - 1) == ']' && allOf(s, 1, hostEnd - 1, "0123456789ABCDEFabcdef:.");
        }
        return hostEnd > 0 && allOf(s, 0, hostEnd, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-");
    }

    private static boolean digits(String s, int from, int to, int max) {
        return to - from >= 1 && to - from <= max && allOf(s, from, to, "0123456789");
    }

    private static boolean allOf(String s, int from, int to, String allowed) {
        for (int i = from; i < to; i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) return false;
        }
        return true;
    }

    /** Whether a user of {@code server} may use the SFU. */
    public boolean allows(String server) {
        return allowedServers.contains("*") || allowedServers.contains(server);
    }

    public CallConfig withLimits(CallLimits value) {
        return new CallConfig(allowedServers, hostPowerLevel, requireE2eeInEncryptedRooms, negotiateLifetimeMs, value);
    }
}
