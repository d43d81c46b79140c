package org.conclave.appservice;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.conclave.appservice.call.CallService;
import org.conclave.appservice.ops.metrics.CallMetrics;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.journal.JournalException;
import org.conclave.appservice.registration.RegistrationException;
import org.conclave.appservice.registration.RegistrationFile;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.ops.ServerNameDiscovery;
import org.conclave.appservice.ops.admin.EffectiveConfig;
import org.conclave.appservice.ops.logging.LogSetup;
import org.conclave.sfu.config.ConfigException;
import org.conclave.sfu.config.ConfigSource;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts Conclave: {@code java ... org.conclave.appservice.Main [--config config/conclave.yaml]}. Loads the config,
 * starts the appservice API and the SFU, writes the homeserver registration on first start, opens the transaction
 * journal and serves the AS API, then sets up the appservice's user with the homeserver in the background; stops
 * cleanly on SIGTERM. Prints what an operator needs (listeners, registration steps) and never a token.
 */
public final class Main {
    static final int EXIT_STARTUP_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;
    /** Asking the homeserver its name must not hold up a start for long. */
    static final long DISCOVERY_TIMEOUT_MS = 10_000;
    static final String USAGE = "usage: run.sh [--config <file>]   (default " + ServerConfig.DEFAULT_FILE + ")";

    private Main() {}

    public static void main(String[] args) {
        main(args, AppserviceHooks.DEFAULT);
    }

    /** {@link #main(String[])} with the event handling supplied (call signalling, tests). */
    public static void main(String[] args, AppserviceHooks hooks) {
        // jitsi libraries log through java.util.logging: route it to logback like everything else.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();

        ConclaveServer server;
        try {
            server = launch(args, System.getenv(), System.out, hooks);
        } catch (StartupException e) {
            if (!e.getMessage().isEmpty()) System.err.println(e.getMessage());
            System.exit(e.exitCode);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("Conclave stopped.");
        }, "conclave-shutdown"));
        try {
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything main does short of waiting; operator-facing lines go to {@code out}. */
    static ConclaveServer launch(String[] args, Map<String, String> env, PrintStream out) throws StartupException {
        return launch(args, env, out, AppserviceHooks.DEFAULT);
    }

    static ConclaveServer launch(String[] args, Map<String, String> env, PrintStream out, AppserviceHooks hooks)
            throws StartupException {
        Path configFile = configFile(args);
        if (configFile == null) {
            out.println(USAGE);
            throw new StartupException(0, "");
        }
        ServerConfig config;
        JsonObject effective;
        try {
            ConfigSource source = ConfigSource.fromFile(configFile, env);
            config = ServerConfig.read(source);
            effective = EffectiveConfig.masked(source.resolved());
        } catch (ConfigException e) {
            throw new StartupException(EXIT_BAD_CONFIG, "Configuration error (" + configFile + "):\n  "
                    + e.getMessage().replace("\n", "\n  "));
        }
        LogSetup.apply(config.logging());
        boolean appservice = config.cluster().runsAppservice();
        if (appservice) config = withServerName(config, effective, out);

        ConclaveServer server;
        try {
            server = ConclaveServer.start(config, effective);
        } catch (IOException | RuntimeException e) {
            throw new StartupException(EXIT_STARTUP_FAILED, "Conclave could not start: " + e.getMessage());
        }
        if (server.cluster() != null) out.println("Cluster: " + server.cluster().summary());
        if (appservice) startAppservice(server, config, hooks, out);
        if (server.sfu() != null) out.println("SFU media: " + server.mediaSummary());
        if (appservice) {
            out.println("Appservice API: " + server.api().url());
            out.println("Public listener: " + server.front().url());
        }
        out.println("Metrics and admin API: " + server.admin().url() + "/metrics, " + server.admin().url()
                + "/admin/v1" + (config.admin().adminEnabled() ? "" : " (off: admin.token is not set)"));
        if (appservice) out.println("Transaction journal: " + server.journal().path());
        return server;
    }

    /** Writes or reads the registration, then serves the AS API with the call handler (or the hooks' handler). */
    private static void startAppservice(ConclaveServer server, ServerConfig serverConfig, AppserviceHooks hooks,
            PrintStream out) throws StartupException {
        RegistrationFile.Outcome outcome;
        try {
            RegistrationFile file = new RegistrationFile(serverConfig.appservice().registrationFile());
            outcome = file.ensure(serverConfig.appservice(), server.api().url(), new SecureRandom());
            printRegistration(outcome, out);
        } catch (IOException | RegistrationException e) {
            server.close();
            throw new StartupException(EXIT_STARTUP_FAILED, "Registration file problem: " + e.getMessage());
        }
        try {
            // The default is the real thing: conference calls signalled with m.call events.
            AppserviceHooks effectiveHooks = hooks == AppserviceHooks.DEFAULT
                    ? new AppserviceHooks(running -> {
                        CallService calls = CallService.create(running.vertx(), running.sfuControl(),
                                running.matrix().bot(), serverConfig);
                        CallMetrics.bind(running.meterRegistry(), calls.limits());
                        return calls;
                    }, hooks.observer())
                    : hooks;
            server.startAppservice(serverConfig.appservice(), outcome.registration(), effectiveHooks);
        } catch (JournalException e) {
            server.close();
            throw new StartupException(EXIT_STARTUP_FAILED, "Transaction journal problem: " + e.getMessage());
        }
    }

    /**
     * The config with {@code appservice.server_name} asked of the homeserver when it is not set (also put into
     * {@code effective}); the start fails with a message naming the key when the homeserver cannot tell.
     */
    private static ServerConfig withServerName(ServerConfig config, JsonObject effective, PrintStream out)
            throws StartupException {
        AppserviceConfig a = config.appservice();
        if (!a.serverNameUnset()) return config;
        try {
            String learnt = ServerNameDiscovery.discover(a.homeserverUrl(),
                    Duration.ofMillis(Math.min(a.homeserverTimeoutMs(), DISCOVERY_TIMEOUT_MS)));
            out.println("Server name (asked the homeserver, appservice.server_name is not set): " + learnt);
            effective.getJsonObject(AppserviceConfig.SECTION).put(AppserviceConfig.SERVER_NAME, learnt);
            return config.withAppservice(a.withServerName(learnt));
        } catch (ServerNameDiscovery.DiscoveryException e) {
            throw new StartupException(EXIT_STARTUP_FAILED, e.getMessage());
        }
    }

    /** The --config value, the default without it, or null when help was asked for. */
    static Path configFile(String[] args) throws StartupException {
        String config = ServerConfig.DEFAULT_FILE;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) return null;
            if (arg.equals("--config")) {
                if (i + 1 == args.length) throw new StartupException(EXIT_BAD_CONFIG, "--config needs a file\n" + USAGE);
                config = args[++i];
            } else if (arg.startsWith("--config=")) {
                config = arg.substring("--config=".length());
            } else {
                throw new StartupException(EXIT_BAD_CONFIG, "unexpected argument: " + arg + "\n" + USAGE);
            }
        }
        if (config.isBlank()) throw new StartupException(EXIT_BAD_CONFIG, "--config needs a file\n" + USAGE);
        return Path.of(config);
    }

    private static void printRegistration(RegistrationFile.Outcome outcome, PrintStream out) {
        switch (outcome.status()) {
            case CREATED -> out.println("Wrote a new appservice registration (secret tokens inside): "
                    + outcome.path());
            case REPLACED_PLACEHOLDERS -> out.println("Filled in the placeholder tokens of the appservice registration"
                    + " (secret tokens inside): " + outcome.path());
            case EXISTING -> out.println("Appservice registration: " + outcome.path());
        }
        if (outcome.written()) RegistrationFile.adminSteps(outcome.path()).forEach(out::println);
        outcome.warnings().forEach(w -> out.println("WARNING: " + w));
    }

    /** A start that cannot go on; the message is for the operator, the code for the shell. */
    static final class StartupException extends Exception {
        final int exitCode;

        StartupException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
