package org.conclave.tests.homeserver;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.registration.Registration;

/**
 * Conclave as {@code Main} runs it, in child JVMs one after the other (restarts keep the registration, the journal
 * and the appservice port), against a {@link HomeserverDouble} in this JVM. The configuration file holds what every
 * start shares; each start may add overrides through the environment.
 */
public final class ChildConclave implements AutoCloseable {
    public static final String SERVER_NAME = "hs.test";
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    public final HomeserverDouble hs;
    private final Vertx vertx;
    private final Path dir;
    private final Path config;
    private final Path journal;

    private ChildConclave(Vertx vertx, HomeserverDouble hs, Path dir, Path config, Path journal) {
        this.vertx = vertx;
        this.hs = hs;
        this.dir = dir;
        this.config = config;
        this.journal = journal;
    }

    /** Starts the double and writes the registration and the configuration into {@code dir}. */
    public static ChildConclave prepare(Path dir) throws Exception {
        int port = freePort();
        AppserviceConfig named = AppserviceConfig.defaults().withServerName(SERVER_NAME);
        Registration registration = Registration.generate(named, "http://127.0.0.1:" + port, new SecureRandom());
        Vertx vertx = Vertx.vertx();
        HomeserverDouble hs = HomeserverDouble.start(vertx, registration, SERVER_NAME,
                AppservicePusher.Options.defaults());
        Path registrationFile = dir.resolve("var/registration.yaml");
        Path journal = dir.resolve("var/appservice.journal");
        Files.createDirectories(registrationFile.getParent());
        Files.writeString(registrationFile, registration.toYaml());
        Path config = dir.resolve("conclave.yaml");
        Files.writeString(config, """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                appservice:
                  homeserver_url: %s
                  server_name: %s
                  listen_port: %d
                  registration_path: %s
                  journal_path: %s
                admin:
                  listen_port: 0
                public:
                  listen_port: 0
                """.formatted(hs.url(), SERVER_NAME, port, registrationFile, journal));
        return new ChildConclave(vertx, hs, dir, config, journal);
    }

    public Path journal() {
        return journal;
    }

    /**
     * Starts Conclave and returns once it serves (it printed its journal line).
     *
     * @param jvmOptions null for the quick-start ones
     * @param env configuration overrides ({@code CONCLAVE_<SECTION>_<KEY>})
     */
    public ChildProcess start(String logName, List<String> jvmOptions, Map<String, String> env) throws Exception {
        ChildProcess child = ChildProcess.product(config, dir.resolve(logName), jvmOptions, env);
        child.awaitLine("Transaction journal:", START_TIMEOUT);
        return child;
    }

    @Override
    public void close() throws Exception {
        hs.close();
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
