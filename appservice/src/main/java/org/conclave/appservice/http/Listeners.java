package org.conclave.appservice.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binding and closing Conclave's HTTP listeners the same way: a failed bind names the listener and the address. */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private Listeners() {}

    /** Binds and waits for the bind; a port in use or a bad address becomes an IOException naming {@code name}. */
    public static HttpServer listen(Vertx vertx, String name, String host, int port,
            Handler<HttpServerRequest> handler, Duration timeout) throws IOException {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(handler);
        try {
            server.listen().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            server.close();
            throw new IOException(name + ": cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return server;
    }

    /** {@code http://host:port} of a bound server, IPv6 hosts in brackets. */
    public static String url(String host, HttpServer server) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.actualPort();
    }

    public static void close(String name, HttpServer server) {
        try {
            server.close().await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("{} did not close cleanly: {}", name, e.toString());
        }
    }
}
