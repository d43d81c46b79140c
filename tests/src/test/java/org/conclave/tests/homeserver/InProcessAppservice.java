package org.conclave.tests.homeserver;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.conclave.appservice.AppserviceHooks;
import org.conclave.appservice.ConclaveServer;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.ping.Bootstrap;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.txn.TransactionObserver;

/**
 * A Conclave server in this JVM, wired to a {@link HomeserverDouble} (on its own Vert.x instance, as if in another
 * process), with a {@link Recorder} as event handler.
 */
final class InProcessAppservice implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final Vertx hsVertx;
    final ConclaveServer server;
    final HomeserverDouble hs;
    final Recorder recorder;
    final Registration registration;
    final AppserviceConfig config;

    private InProcessAppservice(Vertx hsVertx, ConclaveServer server, HomeserverDouble hs, Recorder recorder,
            Registration registration, AppserviceConfig config) {
        this.hsVertx = hsVertx;
        this.server = server;
        this.hs = hs;
        this.recorder = recorder;
        this.registration = registration;
        this.config = config;
    }

    static InProcessAppservice start(Path dir, AppservicePusher.Options push) throws Exception {
        return start(dir, push, UnaryOperator.identity(), hs -> {});
    }

    /**
     * @param hsRegistration what the homeserver double was given (to test mismatched registrations)
     * @param beforeAppservice runs once the double is up, before the appservice starts talking to it
     */
    static InProcessAppservice start(Path dir, AppservicePusher.Options push,
            UnaryOperator<Registration> hsRegistration, Consumer<HomeserverDouble> beforeAppservice)
            throws Exception {
        AppserviceConfig config = Fixtures.config(dir, 0, "http://127.0.0.1:1");
        ConclaveServer server = ConclaveServer.start(ServerConfig.fromYaml(Fixtures.yaml(config), Map.of()));
        Registration registration = Fixtures.registration(config, server.api().url());
        Vertx hsVertx = Vertx.vertx();
        HomeserverDouble hs = HomeserverDouble.start(hsVertx, hsRegistration.apply(registration),
                Fixtures.SERVER_NAME, push);
        beforeAppservice.accept(hs);
        AppserviceConfig wired = config.withHomeserver(hs.url(), config.homeserverTimeoutMs(),
                config.homeserverMaxAttempts(), config.homeserverMaxBackoffMs());
        Recorder recorder = Recorder.inMemory(hsVertx);
        server.startAppservice(wired, registration, new AppserviceHooks(s -> recorder, TransactionObserver.NONE));
        return new InProcessAppservice(hsVertx, server, hs, recorder, registration, wired);
    }

    Bootstrap.Result bootstrapped() throws Exception {
        return server.bootstrapped().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        server.close();
        hs.close();
        hsVertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
