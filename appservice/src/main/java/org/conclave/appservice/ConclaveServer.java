package org.conclave.appservice;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.http.ApiServer;
import org.conclave.appservice.http.AsApi;
import org.conclave.appservice.http.HsTokenAuth;
import org.conclave.appservice.intent.AppserviceClient;
import org.conclave.appservice.intent.HomeserverClient;
import org.conclave.appservice.intent.RetryPolicy;
import org.conclave.appservice.journal.JournalException;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.ping.Bootstrap;
import org.conclave.appservice.ping.PingResult;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.registration.UserNamespace;
import org.conclave.appservice.txn.TransactionProcessor;
import org.conclave.sfu.Sfu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Conclave: the SFU and the appservice in this JVM. Started in two steps: {@link #start} binds the API
 * (health only) and starts the SFU; once the registration is known, {@link #startAppservice} opens the transaction
 * journal, serves the AS API and sets up the appservice's user in the background.
 */
public final class ConclaveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConclaveServer.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final ApiServer api;
    private final Sfu sfu;
    private final String bindAddress;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile TransactionJournal journal;
    private volatile AppserviceClient matrix;
    private volatile EventHandler handler;
    private volatile Bootstrap bootstrap;
    private volatile Future<Bootstrap.Result> bootstrapped;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ConclaveServer(Vertx vertx, ApiServer api, Sfu sfu, String bindAddress) {
        this.vertx = vertx;
        this.api = api;
        this.sfu = sfu;
        this.bindAddress = bindAddress;
    }

    /** Binds the appservice API, then starts the SFU; on failure whatever started is stopped again. */
    public static ConclaveServer start(ServerConfig config) throws IOException {
        Vertx vertx = Vertx.vertx();
        ApiServer api = null;
        try {
            api = ApiServer.start(vertx, config.appservice().listenAddress(), config.appservice().listenPort(),
                    BIND_TIMEOUT);
            Sfu sfu = Sfu.start(config.sfu());
            return new ConclaveServer(vertx, api, sfu, config.sfu().bindAddress());
        } catch (IOException | RuntimeException e) {
            if (api != null) api.close(CLOSE_TIMEOUT);
            closeVertx(vertx);
            throw e;
        }
    }

    /**
     * Opens the journal, serves the AS API with the hooks' handler, and starts {@link Bootstrap} (ping, register the
     * appservice user, display name). Blocks only for opening the journal: call it from the starting thread.
     *
     * @throws JournalException if the journal cannot be opened (in use, unreadable)
     */
    public void startAppservice(AppserviceConfig config, Registration registration, AppserviceHooks hooks)
            throws JournalException {
        if (journal != null) throw new IllegalStateException("appservice already started");
        UserNamespace namespace = new UserNamespace(config);
        RetryPolicy retry = new RetryPolicy(config.homeserverMaxAttempts(), config.homeserverMaxBackoffMs());
        matrix = new AppserviceClient(new HomeserverClient(vertx, config.homeserverUrl(), registration.asToken(), retry,
                config.homeserverTimeoutMs()), namespace);
        journal = TransactionJournal.open(config.journalFile(), config.dedupeWindowEvents());
        handler = hooks.handlerFactory().apply(this);
        TransactionProcessor processor = new TransactionProcessor(vertx, journal, handler, hooks.observer(),
                config.eventTimeoutMs());
        bootstrap = new Bootstrap(vertx, matrix, new PingResult.Setup(config.homeserverUrl(), registration.url(),
                config.asId(), config.registrationFile().toAbsolutePath()), config.displayName(), config.deviceId(),
                retry);
        api.serve(new AsApi(new HsTokenAuth(registration.hsToken()), processor, userId -> userExists(namespace, userId),
                bootstrap::pingReceived));
        bootstrapped = bootstrap.run();
    }

    private Future<Boolean> userExists(UserNamespace namespace, String userId) {
        if (!namespace.contains(userId)) return Future.succeededFuture(false);
        if (userId.equals(namespace.senderUserId())) return Future.succeededFuture(true);
        // Spec: answering 200 means the appservice has created the user.
        return matrix.intent(userId).ensureRegistered().map(true);
    }

    public Sfu sfu() {
        return sfu;
    }

    /** The Vert.x instance everything of the appservice runs on (timers, workers for event handlers). */
    public Vertx vertx() {
        return vertx;
    }

    /** The client-server API client (null before {@link #startAppservice}). */
    public AppserviceClient matrix() {
        return matrix;
    }

    /** Completes when the start-up work with the homeserver is over (null before {@link #startAppservice}). */
    public Future<Bootstrap.Result> bootstrapped() {
        return bootstrapped;
    }

    /** The transaction journal (null before {@link #startAppservice}). */
    public TransactionJournal journal() {
        return journal;
    }

    public ApiServer api() {
        return api;
    }

    /**
     * "udp 0.0.0.0:10000, candidates 127.0.0.1, 10.0.0.5": the configured address as the operator wrote it (a
     * wildcard socket may report itself as IPv6 ::) with the actual port (which differs when configured as 0).
     */
    public String mediaSummary() {
        String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        return "udp " + host + ":" + sfu.boundAddress().getPort() + ", candidates "
                + String.join(", ", sfu.candidateAddresses());
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops taking requests, closes the SFU, lets the handler send its last words about it (hangups telling callers
     * the server is restarting; bounded), then closes the client-server connection, the journal and Vert.x.
     * Idempotent; later calls return at once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        try {
            if (bootstrap != null) bootstrap.stop();
            api.close(CLOSE_TIMEOUT);
            try {
                sfu.close();
            } catch (RuntimeException e) {
                LOG.warn("SFU did not close cleanly", e);
            }
            if (handler != null) {
                try {
                    handler.stop().await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    LOG.warn("the event handler did not finish within {}: {}", CLOSE_TIMEOUT, e.toString());
                }
            }
            if (journal != null) journal.close();
            if (matrix != null) matrix.close();
            closeVertx(vertx);
        } finally {
            closed.countDown();
        }
    }

    private static void closeVertx(Vertx vertx) {
        try {
            vertx.close().await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
    }
}
