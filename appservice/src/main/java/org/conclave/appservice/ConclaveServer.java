package org.conclave.appservice;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.http.ApiServer;
import org.conclave.sfu.Sfu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Conclave: the SFU and the appservice API in this JVM. */
public final class ConclaveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConclaveServer.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final ApiServer api;
    private final Sfu sfu;
    private final String bindAddress;
    private final AtomicBoolean closing = new AtomicBoolean();
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

    public Sfu sfu() {
        return sfu;
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

    /** Stops taking requests, then closes the SFU and Vert.x. Idempotent; later calls return at once. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        try {
            api.close(CLOSE_TIMEOUT);
            try {
                sfu.close();
            } catch (RuntimeException e) {
                LOG.warn("SFU did not close cleanly", e);
            }
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
