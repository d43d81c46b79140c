package org.conclave.tests.reliability;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.homeserver.ChildConclave;
import org.conclave.tests.homeserver.ChildProcess;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.ops.PromText;

/**
 * Conclave as operators run it (Main, in its own JVM with the optimising compiler: {@link ChildConclave}) against a
 * homeserver double in this JVM, with the admin listener's /metrics and admin API to read it and {@code jcmd} to
 * collect its garbage before a heap reading.
 */
final class SoakServer implements AutoCloseable {
    static final String ADMIN_TOKEN = "admin-0123456789abcdef0123456789abcdef";
    static final String METRICS_TOKEN = "metrics-0123456789abcdef0123456789abcdef";
    /** The soak's server JVM: a fixed heap ceiling so a leak shows as growth, not as a bigger heap. */
    static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");
    /** The smallest window the configuration accepts (appservice.dedupe_window_events). */
    static final int DEDUPE_WINDOW_EVENTS = 1_000;
    private static final String ADMIN_LINE = "Metrics and admin API: ";

    private final ChildConclave conclave;
    final HomeserverDouble hs;
    final MatrixCallBridge bridge;
    private final ChildProcess child;
    private final String adminUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SoakServer(ChildConclave conclave, ChildProcess child, String adminUrl) {
        this.conclave = conclave;
        this.hs = conclave.hs;
        this.child = child;
        this.adminUrl = adminUrl;
        this.bridge = new MatrixCallBridge(hs);
    }

    static SoakServer start(Path dir) throws Exception {
        ChildConclave conclave = ChildConclave.prepare(dir);
        ChildProcess child = conclave.start("conclave.log", JVM_OPTIONS, Map.of(
                "CONCLAVE_SFU_MAX_ENDPOINTS", "2000",
                // The journal's dedupe window is a bounded cache that fills for the first 100,000 events (~an hour
                // of this load): at its smallest it is full before the baseline, so growth after it is a leak.
                "CONCLAVE_APPSERVICE_DEDUPE_WINDOW_EVENTS", Integer.toString(DEDUPE_WINDOW_EVENTS),
                "CONCLAVE_ADMIN_TOKEN", ADMIN_TOKEN,
                "CONCLAVE_ADMIN_METRICS_TOKEN", METRICS_TOKEN));
        String line = child.awaitLine(ADMIN_LINE, ChildConclave.START_TIMEOUT);
        String adminUrl = line.substring(ADMIN_LINE.length(), line.indexOf("/metrics"));
        return new SoakServer(conclave, child, adminUrl);
    }

    long pid() {
        return child.pid();
    }

    PromText scrape() throws Exception {
        return PromText.parse(get("/metrics", METRICS_TOKEN));
    }

    /** GET /admin/v1/conferences. */
    JsonObject conferences() throws Exception {
        return new JsonObject(get("/admin/v1/conferences", ADMIN_TOKEN));
    }

    /** A full collection in the server's JVM (jcmd GC.run), so the heap then holds only what is live. */
    void collectGarbage() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.run").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + out);
        }
    }

    private String get(String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        return r.body();
    }

    @Override
    public void close() throws Exception {
        bridge.close();
        child.close();
        conclave.close();
    }
}
