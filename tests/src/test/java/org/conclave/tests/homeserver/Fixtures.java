package org.conclave.tests.homeserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.registration.Registration;

/** Configuration shared by the homeserver tests: short timeouts, everything in a temporary directory. */
final class Fixtures {
    static final String SERVER_NAME = "hs.test";
    static final int HOMESERVER_TIMEOUT_MS = 5_000;
    static final int HOMESERVER_MAX_ATTEMPTS = 4;
    static final int HOMESERVER_MAX_BACKOFF_MS = 100;

    private Fixtures() {}

    /** The appservice's config for a test: listens on {@code port} (0 = any), files under {@code dir}. */
    static AppserviceConfig config(Path dir, int port, String homeserverUrl) {
        return new AppserviceConfig(homeserverUrl, SERVER_NAME, "127.0.0.1", port, "conclave", "conclave",
                "_conclave_", dir.resolve("registration.yaml").toString(), "Conclave test",
                dir.resolve("appservice.journal").toString(), AppserviceConfig.MIN_DEDUPE_WINDOW, 5_000,
                HOMESERVER_TIMEOUT_MS, HOMESERVER_MAX_ATTEMPTS, HOMESERVER_MAX_BACKOFF_MS);
    }

    static Registration registration(AppserviceConfig config, String url) {
        return Registration.generate(config, url, new SecureRandom());
    }

    /** The YAML file Main reads for {@code config}. */
    static String yaml(AppserviceConfig c) {
        return """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                admin:
                  listen_port: 0
                public:
                  listen_port: 0
                appservice:
                  homeserver_url: %s
                  server_name: %s
                  listen_address: %s
                  listen_port: %d
                  registration_path: %s
                  display_name: %s
                  journal_path: %s
                  dedupe_window_events: %d
                  event_timeout_ms: %d
                  homeserver_timeout_ms: %d
                  homeserver_max_attempts: %d
                  homeserver_max_backoff_ms: %d
                """.formatted(c.homeserverUrl(), c.serverName(), c.listenAddress(), c.listenPort(),
                c.registrationPath(), c.displayName(), c.journalPath(), c.dedupeWindowEvents(), c.eventTimeoutMs(),
                c.homeserverTimeoutMs(), c.homeserverMaxAttempts(), c.homeserverMaxBackoffMs());
    }

    static void writeRegistration(Path file, Registration registration) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, registration.toYaml());
    }

    /** A port free right now (a child process binds it a moment later; loopback ports are plentiful). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
