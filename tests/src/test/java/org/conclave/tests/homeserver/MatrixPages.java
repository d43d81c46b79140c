package org.conclave.tests.homeserver;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.tests.harness.TestPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headless Chromium pages running matrix-js-sdk (unmodified, from npm) for tests against the
 * {@link HomeserverDouble}: serves {@code tests/js/matrix/} (the page and its bundle, wasm included) on a loopback
 * port, and drives the pages through {@code tests/js/matrix/driver.mjs} (a child process speaking one JSON line per
 * command). A test opens a page per person, then runs async functions in it, written in JavaScript with the
 * globals {@code sdk} (the SDK) and {@code harness} (login, waitFor, timeline; see {@code page.mjs}):
 *
 * <pre>{@code
 * try (MatrixPages pages = MatrixPages.start(vertx)) {
 *     pages.open("alice");
 *     pages.eval("alice", "async (a) => (await harness.login(a.hs, a.user, a.password)).deviceId",
 *             new JsonObject().put("hs", hs.url()).put("user", "alice").put("password", "pw"), TIMEOUT);
 * }
 * }</pre>
 *
 * The bundle is built by {@code scripts/install-test-deps.sh}; when {@code dist/} is missing or older than its
 * sources (a developer edited {@code page.mjs}), it is rebuilt here first ({@code node matrix/build.mjs}, ~2 s).
 */
public final class MatrixPages implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MatrixPages.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> CONTENT_TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "wasm", "application/wasm", "json", "application/json");
    private static final List<String> SOURCES = List.of("matrix/page.mjs", "matrix/calls.mjs", "matrix/build.mjs",
            "package-lock.json");

    private final HttpServer server;
    private final Process driver;
    private final Writer stdin;
    private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private MatrixPages(HttpServer server, Process driver) {
        this.server = server;
        this.driver = driver;
        this.stdin = new OutputStreamWriter(driver.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Builds the bundle if stale, serves the pages, launches Chromium; returns once the browser is up. */
    public static MatrixPages start(Vertx vertx) throws Exception {
        Path js = TestPaths.jsDir();
        Path root = js.resolve("matrix");
        buildIfStale(js);
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            Path file = root.resolve(Http.percentDecode(request.path()).substring(1)).normalize();
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            if (!file.startsWith(root) || type == null || !Files.isRegularFile(file)) {
                request.response().setStatusCode(404).end();
                return;
            }
            request.response().putHeader("Content-Type", type).sendFile(file.toString());
        }).listen(0, "127.0.0.1").await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Process process = new ProcessBuilder("node", "matrix/driver.mjs").directory(js.toFile()).start();
        MatrixPages pages = new MatrixPages(server, process);
        CompletableFuture<Object> ready = new CompletableFuture<>();
        pages.pending.put(0L, ready);
        pages.readers();
        try {
            log.info("matrix driver up: {}", ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            pages.close();
            throw e;
        }
        return pages;
    }

    private static void buildIfStale(Path js) throws IOException, InterruptedException {
        Path bundle = js.resolve("matrix/dist/page.js");
        boolean stale = !Files.isRegularFile(bundle) || !Files.isRegularFile(js.resolve("matrix/dist/pkg/"
                + "matrix_sdk_crypto_wasm_bg.wasm"));
        for (String source : SOURCES) {
            if (!stale && Files.getLastModifiedTime(js.resolve(source)).compareTo(
                    Files.getLastModifiedTime(bundle)) > 0) {
                stale = true;
            }
        }
        if (!stale) return;
        log.info("building tests/js/matrix/dist (node matrix/build.mjs)");
        Process build = new ProcessBuilder("node", "matrix/build.mjs").directory(js.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!build.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || build.exitValue() != 0) {
            throw new IllegalStateException("node matrix/build.mjs failed (run scripts/install-test-deps.sh): " + output);
        }
    }

    private void readers() {
        Thread out = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(driver.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) onReply(line);
            } catch (IOException e) {
                log.debug("matrix driver stdout closed", e);
            }
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("matrix driver exited")));
        }, "matrix-driver-out");
        Thread err = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(driver.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) log.info("[matrix] {}", line);
            } catch (IOException e) {
                log.debug("matrix driver stderr closed", e);
            }
        }, "matrix-driver-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    private void onReply(String line) {
        JsonObject reply;
        try {
            reply = new JsonObject(line);
        } catch (RuntimeException e) {
            log.warn("[matrix] not a reply: {}", line);
            return;
        }
        CompletableFuture<Object> future = pending.remove(reply.getLong("id", -1L));
        if (future == null) return;
        if (reply.getBoolean("ok", false)) future.complete(reply.getValue("result"));
        else future.completeExceptionally(new PageException(reply.getString("error")));
    }

    /** The page's address (what {@link #open} loads). */
    public String pageUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/page.html";
    }

    /** A new browser context (its own storage: a separate person) with the page loaded and its harness ready. */
    public void open(String page) throws Exception {
        await(send(new JsonObject().put("op", "open").put("page", page).put("url", pageUrl())), START_TIMEOUT);
    }

    /**
     * Runs {@code fn} (JavaScript source of a function, usually {@code async (arg) => ...}) in the page with
     * {@code arg} and returns its result as Vert.x JSON values (JsonObject, JsonArray, String, Number, Boolean, null).
     *
     * @throws PageException when it threw in the page (its message)
     */
    public Object eval(String page, String fn, Object arg, Duration timeout) throws Exception {
        return await(evalAsync(page, fn, arg), timeout);
    }

    /** {@link #eval} without waiting: pages run side by side. */
    public CompletableFuture<Object> evalAsync(String page, String fn, Object arg) {
        return send(new JsonObject().put("op", "eval").put("page", page).put("fn", fn).put("arg", arg));
    }

    /**
     * A new browser context with a page that is not the harness (the built web app) at {@code url}, ready once
     * {@code readySelector} is visible. Drive it with {@link #click}, {@link #fill}, {@link #waitFor}.
     */
    public void openUrl(String page, String url, String readySelector) throws Exception {
        openUrl(page, url, readySelector, "chromium");
    }

    /** {@link #openUrl(String, String, String)} in {@code browser}: "chromium" or "firefox" (Debian's firefox-esr). */
    public void openUrl(String page, String url, String readySelector, String browser) throws Exception {
        await(send(new JsonObject().put("op", "open").put("page", page).put("url", url).put("ready", readySelector)
                .put("browser", browser)), START_TIMEOUT);
    }

    /** Clicks the first element matching the Playwright selector, waiting for it to be actionable. */
    public void click(String page, String selector) throws Exception {
        action("click", page, selector, new JsonObject());
    }

    public void fill(String page, String selector, String value) throws Exception {
        action("fill", page, selector, new JsonObject().put("value", value));
    }

    /** Waits until the selector matches a visible element (state "visible") or none ("hidden", "detached"). */
    public void waitFor(String page, String selector, String state, Duration timeout) throws Exception {
        await(send(new JsonObject().put("op", "waitFor").put("page", page).put("selector", selector)
                .put("state", state).put("timeoutMs", timeout.toMillis())), timeout.plusSeconds(5));
    }

    /** How many elements match the selector now. */
    public int count(String page, String selector) throws Exception {
        return ((Number) await(send(new JsonObject().put("op", "count").put("page", page).put("selector", selector)),
                QUIT_TIMEOUT)).intValue();
    }

    public void screenshot(String page, Path path) throws Exception {
        Path absolute = path.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        await(send(new JsonObject().put("op", "screenshot").put("page", page).put("path", absolute.toString())),
                START_TIMEOUT);
    }

    /** Presses a key (Playwright's names: "Tab", "Shift+Tab", "Enter", " ") where the page's focus is. */
    public void press(String page, String key) throws Exception {
        await(send(new JsonObject().put("op", "press").put("page", page).put("key", key)), START_TIMEOUT);
    }

    /** Types text where the page's focus is, key by key. */
    public void type(String page, String text) throws Exception {
        await(send(new JsonObject().put("op", "type").put("page", page).put("text", text)), START_TIMEOUT);
    }

    /** Resizes the page's window (CSS pixels), as a person resizing the browser. */
    public void viewport(String page, int width, int height) throws Exception {
        await(send(new JsonObject().put("op", "viewport").put("page", page).put("width", width).put("height", height)),
                START_TIMEOUT);
    }

    private void action(String op, String page, String selector, JsonObject extra) throws Exception {
        await(send(extra.put("op", op).put("page", page).put("selector", selector)), START_TIMEOUT);
    }

    public void closePage(String page) throws Exception {
        await(send(new JsonObject().put("op", "close").put("page", page)), QUIT_TIMEOUT);
    }

    private CompletableFuture<Object> send(JsonObject command) {
        long id = ids.incrementAndGet();
        CompletableFuture<Object> future = new CompletableFuture<>();
        pending.put(id, future);
        synchronized (stdin) {
            try {
                stdin.write(command.put("id", id).encode() + "\n");
                stdin.flush();
            } catch (IOException e) {
                pending.remove(id);
                future.completeExceptionally(e);
            }
        }
        return future;
    }

    private static Object await(CompletableFuture<Object> future, Duration timeout) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new AssertionError("no answer from the page within " + timeout, e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            send(new JsonObject().put("op", "quit"));
            if (!driver.waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                driver.descendants().forEach(ProcessHandle::destroyForcibly);
                driver.destroyForcibly();
            }
        } finally {
            server.close().await(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** What a page function threw. */
    public static final class PageException extends Exception {
        PageException(String message) {
            super(message);
        }
    }
}
