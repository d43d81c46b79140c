package org.conclave.bench.signal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The plain-HTTP signalling of the benchmark's own servers (our SFU, the limit forwarder). Routes are one function;
 * replies are text or JSON. Not the test harness's SignalServer: this one binds any address (the benchmark runs in a
 * network namespace) and serves one long-poll for all endpoints, so it parks one thread, not one per endpoint.
 */
public final class SignalHttp implements AutoCloseable {
    static final int THREADS = 4;
    static final int BACKLOG = 256;

    /** One reply. */
    public record Reply(int status, String contentType, String body) {
        public static Reply text(String body) {
            return new Reply(200, "text/plain", body);
        }

        public static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        public static Reply noContent() {
            return new Reply(204, "text/plain", "");
        }

        public static Reply error(int status, String message) {
            return new Reply(status, "text/plain", message);
        }
    }

    /** The application behind the server. */
    public interface Routes {
        Reply handle(String method, List<String> path, String query, String body) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public SignalHttp(InetAddress bind, int port, Routes routes) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bind, port), BACKLOG);
        executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "bench-signal");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, routes));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, Routes routes) throws IOException {
        Reply reply;
        try (exchange) {
            try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                List<String> path = Arrays.stream(exchange.getRequestURI().getPath().split("/"))
                        .filter(s -> !s.isEmpty()).toList();
                reply = routes.handle(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), body);
                if (reply == null) reply = Reply.error(404, "no route for " + exchange.getRequestURI());
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                cause.printStackTrace(); // into the server's log file: a failed control call is a finding
                reply = Reply.error(500, cause.toString());
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.status() == 204 ? -1 : out.length);
            if (reply.status() != 204) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    /** Reads {@code name=value} from a raw query string, or {@code fallback}. */
    public static String query(String rawQuery, String name, String fallback) {
        if (rawQuery == null) return fallback;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) return pair.substring(eq + 1);
        }
        return fallback;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
