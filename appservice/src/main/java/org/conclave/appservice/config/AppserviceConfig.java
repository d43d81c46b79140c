package org.conclave.appservice.config;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * The appservice's settings: section {@code appservice:} of the configuration file, each key overridable by
 * {@code CONCLAVE_APPSERVICE_<KEY>}. Immutable; the constructor enforces every rule (see docs/operators.md).
 *
 * @param homeserverUrl where the appservice reaches the homeserver's client-server API
 * @param serverName the homeserver's Matrix server name (the part after ':' in user ids); empty: asked of the homeserver
 *     at start ({@code org.conclave.appservice.ops.ServerNameDiscovery})
 * @param listenAddress local IP the appservice HTTP API listens on (the homeserver calls it)
 * @param listenPort port of that API (0 = ephemeral, for tests)
 * @param asId the registration's unique id at the homeserver
 * @param senderLocalpart localpart of the appservice's own user, the one clients call
 * @param userNamespacePrefix localpart prefix of the users the appservice owns exclusively
 * @param registrationPath where the registration file is written/read (relative: to the working directory)
 * @param displayName display name set on the appservice's own user at start-up
 * @param journalPath the transaction journal: which homeserver transactions and events were processed
 * @param dedupeWindowEvents how many processed events (and transactions) the journal remembers for deduplication
 * @param eventTimeoutMs time the event handler may take for one event before it counts as failed
 * @param homeserverTimeoutMs time one client-server API request may take
 * @param homeserverMaxAttempts tries per client-server API request (first try included) on 429, 5xx or no connection
 * @param homeserverMaxBackoffMs longest wait between two tries (a 429's retry_after_ms is honoured even if longer)
 * @param deviceId the device id of the appservice's own user: clients address to-device call signalling to it
 * @param limits transaction size and depth, how long a transaction may wait for slow events, homeserver connections
 */
public record AppserviceConfig(
        String homeserverUrl,
        String serverName,
        String listenAddress,
        int listenPort,
        String asId,
        String senderLocalpart,
        String userNamespacePrefix,
        String registrationPath,
        String displayName,
        String journalPath,
        int dedupeWindowEvents,
        int eventTimeoutMs,
        int homeserverTimeoutMs,
        int homeserverMaxAttempts,
        int homeserverMaxBackoffMs,
        String deviceId,
        AppserviceLimits limits) {

    public static final String SECTION = "appservice";

    public static final String HOMESERVER_URL = "homeserver_url";
    public static final String SERVER_NAME = "server_name";
    public static final String LISTEN_ADDRESS = "listen_address";
    public static final String LISTEN_PORT = "listen_port";
    public static final String AS_ID = "as_id";
    public static final String SENDER_LOCALPART = "sender_localpart";
    public static final String USER_NAMESPACE_PREFIX = "user_namespace_prefix";
    public static final String REGISTRATION_PATH = "registration_path";
    public static final String DISPLAY_NAME = "display_name";
    public static final String JOURNAL_PATH = "journal_path";
    public static final String DEDUPE_WINDOW_EVENTS = "dedupe_window_events";
    public static final String EVENT_TIMEOUT_MS = "event_timeout_ms";
    public static final String HOMESERVER_TIMEOUT_MS = "homeserver_timeout_ms";
    public static final String HOMESERVER_MAX_ATTEMPTS = "homeserver_max_attempts";
    public static final String HOMESERVER_MAX_BACKOFF_MS = "homeserver_max_backoff_ms";
    public static final String DEVICE_ID = "device_id";

    public static final String DEFAULT_HOMESERVER_URL = "http://127.0.0.1:8008";
    /** Not set: learnt from the homeserver at start, so a first start cannot write a registration for "localhost". */
    public static final String DEFAULT_SERVER_NAME = "";
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_LISTEN_PORT = 8009;
    public static final String DEFAULT_AS_ID = "conclave";
    public static final String DEFAULT_SENDER_LOCALPART = "conclave";
    public static final String DEFAULT_USER_NAMESPACE_PREFIX = "_conclave_";
    /** Under var/ (git-ignored) because the file holds secrets; the repo's registration.yaml is only a sample. */
    public static final String DEFAULT_REGISTRATION_PATH = "var/registration.yaml";
    public static final String DEFAULT_DISPLAY_NAME = "Conclave";
    /** Next to the registration: both are state of this installation, not configuration. */
    public static final String DEFAULT_JOURNAL_PATH = "var/appservice.journal";
    /** Far more than one homeserver transaction (Synapse sends at most 100 events, one transaction at a time). */
    public static final int DEFAULT_DEDUPE_WINDOW_EVENTS = 100_000;
    public static final int DEFAULT_EVENT_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_HOMESERVER_TIMEOUT_MS = 30_000;
    /**
     * With the default backoff, about 3 minutes of retries (0.25 + 0.5 + … + 8 s, then every 10 s): a homeserver that
     * restarts or is cut off that long loses none of the bot's sends (six tries, 7.75 s, lost a 60 s outage's).
     */
    public static final int DEFAULT_HOMESERVER_MAX_ATTEMPTS = 24;
    /** What waited goes out at most this long after the homeserver is back. */
    public static final int DEFAULT_HOMESERVER_MAX_BACKOFF_MS = 10_000;
    public static final String DEFAULT_DEVICE_ID = "CONCLAVE";

    public static final int MAX_PORT = 65_535;
    public static final int MIN_DEDUPE_WINDOW = 1_000;
    public static final int MAX_DEDUPE_WINDOW = 10_000_000;
    public static final int MIN_TIMEOUT_MS = 100;
    public static final int MAX_TIMEOUT_MS = 600_000;
    public static final int MAX_ATTEMPTS = 100;
    public static final int MIN_BACKOFF_MS = 10;
    /** Synapse caps display names at 256 characters. */
    public static final int MAX_DISPLAY_NAME_CHARS = 256;
    /** Matrix user id localparts (spec: "User Identifiers"); the prefix must be one too. */
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=/+-]{1,200}");
    private static final Pattern AS_ID_CHARS = Pattern.compile("[A-Za-z0-9._~-]{1,200}");
    private static final Pattern DEVICE_ID_CHARS = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
    private static final Pattern SERVER_NAME_PARTS = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+)(:([0-9]{1,5}))?");

    public AppserviceConfig {
        if (limits == null) limits = AppserviceLimits.DEFAULTS;
        ConfigValidator v = new ConfigValidator(SECTION)
                .httpUrl(HOMESERVER_URL, homeserverUrl, DEFAULT_HOMESERVER_URL);
        if (v.present(SERVER_NAME, serverName)) {
            v.check(serverName.isEmpty() || isServerName(serverName), SERVER_NAME,
                    "must be a Matrix server name: a host name or IP, optionally with :port", serverName);
        }
        v.ipAddress(LISTEN_ADDRESS, listenAddress)
                .range(LISTEN_PORT, listenPort, 0, MAX_PORT)
                .matches(AS_ID, asId, AS_ID_CHARS, "must be letters, digits, '.', '_', '~' or '-'")
                .matches(SENDER_LOCALPART, senderLocalpart, LOCALPART,
                        "must be a Matrix localpart: lower-case letters, digits and ._=/+-")
                .matches(USER_NAMESPACE_PREFIX, userNamespacePrefix, LOCALPART,
                        "must be a Matrix localpart prefix: lower-case letters, digits and ._=/+-");
        filePath(v, REGISTRATION_PATH, registrationPath);
        if (v.present(DISPLAY_NAME, displayName)) {
            v.check(!displayName.isBlank() && displayName.length() <= MAX_DISPLAY_NAME_CHARS
                            && displayName.chars().noneMatch(Character::isISOControl), DISPLAY_NAME,
                    "must be 1 to " + MAX_DISPLAY_NAME_CHARS + " characters without control characters", displayName);
        }
        filePath(v, JOURNAL_PATH, journalPath);
        v.range(DEDUPE_WINDOW_EVENTS, dedupeWindowEvents, MIN_DEDUPE_WINDOW, MAX_DEDUPE_WINDOW)
                .range(EVENT_TIMEOUT_MS, eventTimeoutMs, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)
                .range(HOMESERVER_TIMEOUT_MS, homeserverTimeoutMs, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)
                .range(HOMESERVER_MAX_ATTEMPTS, homeserverMaxAttempts, 1, MAX_ATTEMPTS)
                .range(HOMESERVER_MAX_BACKOFF_MS, homeserverMaxBackoffMs, MIN_BACKOFF_MS, MAX_TIMEOUT_MS)
                .matches(DEVICE_ID, deviceId, DEVICE_ID_CHARS, "must be 1 to 64 letters, digits, '.', '_', '~' or '-'");
        v.throwIfInvalid();
    }

    /** Every setting but the limits, which are at their defaults. */
    public AppserviceConfig(String homeserverUrl, String serverName, String listenAddress, int listenPort, String asId,
            String senderLocalpart, String userNamespacePrefix, String registrationPath, String displayName,
            String journalPath, int dedupeWindowEvents, int eventTimeoutMs, int homeserverTimeoutMs,
            int homeserverMaxAttempts, int homeserverMaxBackoffMs, String deviceId) {
        this(homeserverUrl, serverName, listenAddress, listenPort, asId, senderLocalpart, userNamespacePrefix,
                registrationPath, displayName, journalPath, dedupeWindowEvents, eventTimeoutMs, homeserverTimeoutMs,
                homeserverMaxAttempts, homeserverMaxBackoffMs, deviceId, AppserviceLimits.DEFAULTS);
    }

    /** Every setting but {@code device_id} and the limits, which are at their defaults. */
    public AppserviceConfig(String homeserverUrl, String serverName, String listenAddress, int listenPort, String asId,
            String senderLocalpart, String userNamespacePrefix, String registrationPath, String displayName,
            String journalPath, int dedupeWindowEvents, int eventTimeoutMs, int homeserverTimeoutMs,
            int homeserverMaxAttempts, int homeserverMaxBackoffMs) {
        this(homeserverUrl, serverName, listenAddress, listenPort, asId, senderLocalpart, userNamespacePrefix,
                registrationPath, displayName, journalPath, dedupeWindowEvents, eventTimeoutMs, homeserverTimeoutMs,
                homeserverMaxAttempts, homeserverMaxBackoffMs, DEFAULT_DEVICE_ID);
    }

    /** The settings of the first release, every later one at its default. */
    public AppserviceConfig(String homeserverUrl, String serverName, String listenAddress, int listenPort, String asId,
            String senderLocalpart, String userNamespacePrefix, String registrationPath) {
        this(homeserverUrl, serverName, listenAddress, listenPort, asId, senderLocalpart, userNamespacePrefix,
                registrationPath, DEFAULT_DISPLAY_NAME, DEFAULT_JOURNAL_PATH, DEFAULT_DEDUPE_WINDOW_EVENTS,
                DEFAULT_EVENT_TIMEOUT_MS, DEFAULT_HOMESERVER_TIMEOUT_MS, DEFAULT_HOMESERVER_MAX_ATTEMPTS,
                DEFAULT_HOMESERVER_MAX_BACKOFF_MS);
    }

    public static AppserviceConfig defaults() {
        return new AppserviceConfig(DEFAULT_HOMESERVER_URL, DEFAULT_SERVER_NAME, DEFAULT_LISTEN_ADDRESS,
                DEFAULT_LISTEN_PORT, DEFAULT_AS_ID, DEFAULT_SENDER_LOCALPART, DEFAULT_USER_NAMESPACE_PREFIX,
                DEFAULT_REGISTRATION_PATH);
    }

    private static void filePath(ConfigValidator v, String key, String value) {
        if (v.present(key, value)) {
            v.check(!value.isBlank() && value.indexOf('\0') < 0, key, "must be a file path", value);
        }
    }

    /**
     * Reads section {@code appservice} of a source. Returns null only when problems were recorded, which
     * {@link ConfigSource#finish} then throws: call it before using the result.
     */
    public static AppserviceConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        String homeserverUrl = s.string(HOMESERVER_URL, DEFAULT_HOMESERVER_URL);
        String serverName = s.string(SERVER_NAME, DEFAULT_SERVER_NAME);
        String listenAddress = s.string(LISTEN_ADDRESS, DEFAULT_LISTEN_ADDRESS);
        int listenPort = s.integer(LISTEN_PORT, DEFAULT_LISTEN_PORT);
        String asId = s.string(AS_ID, DEFAULT_AS_ID);
        String senderLocalpart = s.string(SENDER_LOCALPART, DEFAULT_SENDER_LOCALPART);
        String prefix = s.string(USER_NAMESPACE_PREFIX, DEFAULT_USER_NAMESPACE_PREFIX);
        String registrationPath = s.string(REGISTRATION_PATH, DEFAULT_REGISTRATION_PATH);
        String displayName = s.string(DISPLAY_NAME, DEFAULT_DISPLAY_NAME);
        String journalPath = s.string(JOURNAL_PATH, DEFAULT_JOURNAL_PATH);
        int dedupeWindow = s.integer(DEDUPE_WINDOW_EVENTS, DEFAULT_DEDUPE_WINDOW_EVENTS);
        int eventTimeout = s.integer(EVENT_TIMEOUT_MS, DEFAULT_EVENT_TIMEOUT_MS);
        int hsTimeout = s.integer(HOMESERVER_TIMEOUT_MS, DEFAULT_HOMESERVER_TIMEOUT_MS);
        int hsAttempts = s.integer(HOMESERVER_MAX_ATTEMPTS, DEFAULT_HOMESERVER_MAX_ATTEMPTS);
        int hsBackoff = s.integer(HOMESERVER_MAX_BACKOFF_MS, DEFAULT_HOMESERVER_MAX_BACKOFF_MS);
        String deviceId = s.string(DEVICE_ID, DEFAULT_DEVICE_ID);
        AppserviceLimits limits = AppserviceLimits.read(s);
        return s.build(() -> new AppserviceConfig(homeserverUrl, serverName, listenAddress, listenPort, asId,
                senderLocalpart, prefix, registrationPath, displayName, journalPath, dedupeWindow, eventTimeout,
                hsTimeout, hsAttempts, hsBackoff, deviceId, limits));
    }

    public Path registrationFile() {
        return Path.of(registrationPath);
    }

    public Path journalFile() {
        return Path.of(journalPath);
    }

    /** Whether {@code server_name} was left empty, to be learnt from the homeserver. */
    public boolean serverNameUnset() {
        return serverName.isEmpty();
    }

    /** The appservice's own user: {@code @<sender_localpart>:<server_name>}. */
    public String senderUserId() {
        return "@" + senderLocalpart + ":" + serverName;
    }

    public AppserviceConfig withServerName(String value) {
        return new AppserviceConfig(homeserverUrl, value, listenAddress, listenPort, asId, senderLocalpart,
                userNamespacePrefix, registrationPath, displayName, journalPath, dedupeWindowEvents, eventTimeoutMs,
                homeserverTimeoutMs, homeserverMaxAttempts, homeserverMaxBackoffMs, deviceId, limits);
    }

    public AppserviceConfig withListenPort(int value) {
        return new AppserviceConfig(homeserverUrl, serverName, listenAddress, value, asId, senderLocalpart,
                userNamespacePrefix, registrationPath, displayName, journalPath, dedupeWindowEvents, eventTimeoutMs,
                homeserverTimeoutMs, homeserverMaxAttempts, homeserverMaxBackoffMs, deviceId, limits);
    }

    public AppserviceConfig withRegistrationPath(String value) {
        return new AppserviceConfig(homeserverUrl, serverName, listenAddress, listenPort, asId, senderLocalpart,
                userNamespacePrefix, value, displayName, journalPath, dedupeWindowEvents, eventTimeoutMs,
                homeserverTimeoutMs, homeserverMaxAttempts, homeserverMaxBackoffMs, deviceId, limits);
    }

    public AppserviceConfig withJournalPath(String value) {
        return new AppserviceConfig(homeserverUrl, serverName, listenAddress, listenPort, asId, senderLocalpart,
                userNamespacePrefix, registrationPath, displayName, value, dedupeWindowEvents, eventTimeoutMs,
                homeserverTimeoutMs, homeserverMaxAttempts, homeserverMaxBackoffMs, deviceId, limits);
    }

    public AppserviceConfig withHomeserver(String url, int timeoutMs, int maxAttempts, int maxBackoffMs) {
        return new AppserviceConfig(url, serverName, listenAddress, listenPort, asId, senderLocalpart,
                userNamespacePrefix, registrationPath, displayName, journalPath, dedupeWindowEvents, eventTimeoutMs,
                timeoutMs, maxAttempts, maxBackoffMs, deviceId, limits);
    }

    public AppserviceConfig withEventTimeoutMs(int value) {
        return new AppserviceConfig(homeserverUrl, serverName, listenAddress, listenPort, asId, senderLocalpart,
                userNamespacePrefix, registrationPath, displayName, journalPath, dedupeWindowEvents, value,
                homeserverTimeoutMs, homeserverMaxAttempts, homeserverMaxBackoffMs, deviceId, limits);
    }

    public AppserviceConfig withLimits(AppserviceLimits value) {
        return new AppserviceConfig(homeserverUrl, serverName, listenAddress, listenPort, asId, senderLocalpart,
                userNamespacePrefix, registrationPath, displayName, journalPath, dedupeWindowEvents, eventTimeoutMs,
                homeserverTimeoutMs, homeserverMaxAttempts, homeserverMaxBackoffMs, deviceId, value);
    }

    /** Matrix server name grammar: IPv4, [IPv6] or DNS name, optionally with a port. */
    public static boolean isServerName(String value) {
        var m = SERVER_NAME_PARTS.matcher(value);
        if (!m.matches()) return false;
        String host = m.group(1);
        if (m.group(3) != null) {
            int port = Integer.parseInt(m.group(3));
            if (port < 1 || port > MAX_PORT) return false;
        }
        if (host.startsWith("[")) {
            String inner = host.substring(1, host.length() - 1);
            return inner.contains(":") && ConfigValidator.isIpLiteral(inner);
        }
        return ConfigValidator.isIpLiteral(host) || ConfigValidator.isHostName(host);
    }
}
