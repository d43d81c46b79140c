package org.conclave.appservice;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.front.FrontServer;
import org.conclave.appservice.front.OpenIdVerifier;
import org.conclave.appservice.front.TurnApi;
import org.conclave.appservice.front.WebApp;
import org.conclave.appservice.http.ApiServer;
import org.conclave.appservice.http.AsApi;
import org.conclave.appservice.http.HsTokenAuth;
import org.conclave.appservice.intent.AppserviceClient;
import org.conclave.appservice.intent.HomeserverClient;
import org.conclave.appservice.intent.RetryPolicy;
import org.conclave.appservice.journal.JournalException;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.ops.GracefulShutdown;
import org.conclave.appservice.ops.admin.AdminApi;
import org.conclave.appservice.ops.admin.AdminServer;
import org.conclave.appservice.ops.logging.CallIds;
import org.conclave.appservice.ops.logging.CallMdc;
import org.conclave.appservice.ops.metrics.AppserviceMetrics;
import org.conclave.appservice.ops.metrics.Metrics;
import org.conclave.appservice.ops.metrics.SfuMetrics;
import org.conclave.appservice.ops.metrics.TurnMetrics;
import org.conclave.appservice.ping.Bootstrap;
import org.conclave.appservice.ping.PingResult;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.registration.UserNamespace;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.appservice.txn.TransactionProcessor;
import org.conclave.cluster.ClusterConfig;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.control.SfuControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Conclave: the SFU and the appservice in this JVM, plus the operators' listener (metrics, admin API)
 * and the public one (TURN credentials). Started in two steps: {@link #start} binds the listeners (health only on the
 * AS API) and starts the SFU; once the registration is known, {@link #startAppservice} opens the transaction
 * journal, serves the AS API and sets up the appservice's user in the background. {@link #close} is the graceful
 * shutdown ({@link GracefulShutdown}). In a cluster ({@code cluster.role}, {@link ClusterSide}) a process runs only
 * the appservice (no SFU: {@link #sfu} is null), only an SFU node (no AS API, public listener or journal: those are
 * null and {@link #startAppservice} is never called), or both.
 */
public final class ConclaveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConclaveServer.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final Metrics metrics;
    private final Vertx vertx;
    private final ApiServer api;
    private final Sfu sfu;
    private final SfuMetrics sfuMetrics;
    private final ClusterSide cluster;
    private final AdminServer admin;
    private final FrontServer front;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile TransactionJournal journal;
    private volatile TransactionProcessor processor;
    private volatile AppserviceClient matrix;
    private volatile EventHandler handler;
    private volatile OpenIdVerifier openId;
    private volatile Bootstrap bootstrap;
    private volatile Future<Bootstrap.Result> bootstrapped;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ConclaveServer(ServerConfig config, Metrics metrics, Vertx vertx, ApiServer api, Sfu sfu,
            SfuMetrics sfuMetrics, ClusterSide cluster, AdminServer admin, FrontServer front) {
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.api = api;
        this.sfu = sfu;
        this.sfuMetrics = sfuMetrics;
        this.cluster = cluster;
        this.admin = admin;
        this.front = front;
    }

    public static ConclaveServer start(ServerConfig config) throws IOException {
        return start(config, new JsonObject());
    }

    /**
     * Binds the appservice API, starts the SFU, then the operators' and the public listener; on failure whatever
     * started is stopped again.
     *
     * @param effectiveConfig what {@code GET /admin/v1/config} shows (secrets already masked)
     */
    public static ConclaveServer start(ServerConfig config, JsonObject effectiveConfig) throws IOException {
        Metrics metrics = new Metrics();
        ClusterConfig role = config.cluster();
        Vertx vertx;
        ClusterSide cluster = null;
        if (role.clustered()) {
            cluster = ClusterSide.join(role, metrics);
            vertx = cluster.vertx();
        } else {
            vertx = metrics.newVertx();
        }
        ApiServer api = null;
        Sfu sfu = null;
        SfuMetrics sfuMetrics = null;
        AdminServer admin = null;
        try {
            if (role.runsAppservice()) {
                api = ApiServer.start(vertx, config.appservice().listenAddress(), config.appservice().listenPort(),
                        BIND_TIMEOUT);
            }
            if (role.runsSfu()) {
                sfu = Sfu.start(config.sfu());
                CallIds.useEndpoints(sfu.operations().directory());
                sfuMetrics = new SfuMetrics(sfu, metrics.registry(), vertx);
            }
            if (cluster != null) cluster.startParts(sfu, config.sfu().maxEndpoints(), metrics.registry());
            admin = AdminServer.start(vertx, config.admin(), metrics, new AdminApi(config.admin().token(), sfu,
                    effectiveConfig, cluster == null ? null : cluster.placement()), BIND_TIMEOUT);
            FrontServer front = role.runsAppservice()
                    ? FrontServer.start(vertx, config.publicListener(), config.turn(), BIND_TIMEOUT) : null;
            if (front != null) TurnMetrics.bind(metrics.registry(), front.turnRefusals());
            return new ConclaveServer(config, metrics, vertx, api, sfu, sfuMetrics, cluster, admin, front);
        } catch (IOException | RuntimeException e) {
            if (admin != null) admin.close();
            if (cluster != null) cluster.close();
            if (sfuMetrics != null) sfuMetrics.close();
            if (sfu != null) sfu.close();
            if (api != null) api.close(CLOSE_TIMEOUT);
            closeVertx(vertx);
            metrics.close();
            throw e;
        }
    }

    /**
     * Opens the journal, serves the AS API with the hooks' handler, serves TURN credentials, and starts
     * {@link Bootstrap} (ping, register the appservice user, display name). Blocks only for opening the journal: call
     * it from the starting thread.
     *
     * @throws JournalException if the journal cannot be opened (in use, unreadable)
     */
    public void startAppservice(AppserviceConfig config, Registration registration, AppserviceHooks hooks)
            throws JournalException {
        if (journal != null) throw new IllegalStateException("appservice already started");
        UserNamespace namespace = new UserNamespace(config);
        RetryPolicy retry = new RetryPolicy(config.homeserverMaxAttempts(), config.homeserverMaxBackoffMs());
        AppserviceMetrics appserviceMetrics = new AppserviceMetrics(metrics.registry());
        matrix = new AppserviceClient(new HomeserverClient(vertx, config.homeserverUrl(), registration.asToken(), retry,
                config.homeserverTimeoutMs(), appserviceMetrics.homeserverRequests(),
                config.limits().homeserverConnections()), namespace);
        journal = TransactionJournal.open(config.journalFile(), config.dedupeWindowEvents());
        handler = new CallMdc(hooks.handlerFactory().apply(this));
        processor = new TransactionProcessor(vertx, journal, handler,
                TransactionObserver.both(hooks.observer(), appserviceMetrics.transactions()), config.eventTimeoutMs(),
                config.limits().transactionAckWaitMs(), config.limits().transactionUnitsInFlight());
        bootstrap = new Bootstrap(vertx, matrix, new PingResult.Setup(config.homeserverUrl(), registration.url(),
                config.asId(), config.registrationFile().toAbsolutePath()), config.displayName(), config.deviceId(),
                retry);
        api.serve(new AsApi(new HsTokenAuth(registration.hsToken()), processor, userId -> userExists(namespace, userId),
                bootstrap::pingReceived, config.limits()));
        openId = new OpenIdVerifier(vertx, config.homeserverUrl(), config.serverName(), config.homeserverTimeoutMs());
        front.serveWebClient(WebApp.of(vertx, this.config.publicListener(), config));
        front.serveTurn(new TurnApi(this.config.turn(), this.config.calls(), openId, matrix.bot(), Clock.systemUTC(),
                front.turnRefusals()));
        bootstrapped = bootstrap.run();
        bootstrapped.onComplete(x -> processor.started());
    }

    private Future<Boolean> userExists(UserNamespace namespace, String userId) {
        if (!namespace.contains(userId)) return Future.succeededFuture(false);
        if (userId.equals(namespace.senderUserId())) return Future.succeededFuture(true);
        // Spec: answering 200 means the appservice has created the user.
        return matrix.intent(userId).ensureRegistered().map(true);
    }

    /** The SFU of this process; null when it runs only the appservice of a cluster. */
    public Sfu sfu() {
        return sfu;
    }

    /** The Prometheus registry /metrics serves: handlers may add their meters. */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /**
     * The control contract the call handler drives: the SFU in this process, or in a cluster the placement over the
     * SFU nodes (whose in-process node, with role {@code all}, is reached through the event bus like the others).
     */
    public SfuControl sfuControl() {
        return cluster != null && cluster.placement() != null ? cluster.placement() : sfu.control();
    }

    /** The cluster side (null when standalone). */
    public ClusterSide cluster() {
        return cluster;
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

    /** The operators' listener: /metrics and /admin/v1. */
    public AdminServer admin() {
        return admin;
    }

    /** The public listener: Conclave Web and TURN credentials. */
    public FrontServer front() {
        return front;
    }

    /**
     * "udp 0.0.0.0:10000 10001 (a port per packet thread), tcp 0.0.0.0:10000 (ICE-TCP), candidates 127.0.0.1, 10.0.0.5":
     * the configured address as the operator wrote it (a wildcard socket may report itself as IPv6 ::) with the actual
     * ports (which differ when configured as 0).
     */
    public String mediaSummary() {
        if (sfu == null) return "none in this process (cluster.role: appservice)";
        String bindAddress = config.sfu().bindAddress();
        String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        java.net.InetSocketAddress tcp = sfu.tcpAddress();
        return "udp " + host + ":" + String.join(" ", mediaPorts())
                + (mediaPorts().size() > 1 ? " (a port per packet thread)" : "")
                + (tcp == null ? "" : ", tcp " + host + ":" + tcp.getPort() + " (ICE-TCP)") + ", candidates "
                + String.join(", ", sfu.candidateAddresses());
    }

    private java.util.List<String> mediaPorts() {
        try {
            return sfu.boundAddresses().stream().map(a -> Integer.toString(a.getPort())).toList();
        } catch (java.io.IOException e) {
            return java.util.List.of(Integer.toString(sfu.boundAddress().getPort()));
        }
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Hangs up every call ({@link GracefulShutdown}: the handler's last words — hangups telling callers the server is
     * restarting — go out, bounded), then stops taking requests and closes the journal, the SFU and Vert.x.
     * Idempotent; later calls return at once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        try {
            List<GracefulShutdown.Media> media = new ArrayList<>();
            if (cluster != null && cluster.placement() != null) media.add(cluster.shutdownMedia());
            if (sfu != null) media.add(GracefulShutdown.of(sfu));
            GracefulShutdown.run(media, api, processor, handler);
            if (bootstrap != null) bootstrap.stop();
            if (front != null) front.close();
            admin.close();
            if (api != null) api.close(CLOSE_TIMEOUT);
            if (journal != null) journal.close();
            if (openId != null) openId.close();
            if (matrix != null) matrix.close();
            if (cluster != null) cluster.close();
            if (sfuMetrics != null) sfuMetrics.close();
            try {
                if (sfu != null) sfu.close();
            } catch (RuntimeException e) {
                LOG.warn("SFU did not close cleanly", e);
            }
            CallIds.useEndpoints(null);
            closeVertx(vertx);
            metrics.close();
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
