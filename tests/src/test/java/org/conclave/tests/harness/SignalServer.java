package org.conclave.tests.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.control.VideoQuality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps plain HTTP on 127.0.0.1 to an {@link SfuControl}, so browser pages and peer scripts can signal:
 * <pre>
 * POST /conferences/{conf}/endpoints  {"participant":"..","role":"HOST|GUEST","requireE2ee":false}
 *                                     -> {"endpointId":"..","conferenceId":".."}
 * POST /endpoints/{id}/offer          sdp text -> answer sdp text
 * POST /endpoints/{id}/answer         sdp text (answer to an SFU re-offer) -> 204
 * POST /endpoints/{id}/candidate      {"candidate":"..","sdpMid":".."} -> 204
 * POST /endpoints/{id}/close          optional reason text -> 204
 * POST /endpoints/{id}/quality        {"streamId":"..","trackId":"..","quality":"THUMBNAIL|FULL_RES"} -> 204
 * POST /endpoints/{id}/stats          a peer's current report (the PeerStats JSON), kept as its live stats -> 204
 * GET  /endpoints/{id}/events?after=N[&amp;timeoutMs=T]  long-poll
 *                                     -> [{"seq":..,"type":"offer|connected|failed|closed|layer",..}]
 * GET  /static/**                     files of tests/js/web
 * GET  /keyexchange/**                files of keyexchange/js (the browser SFrame implementation)
 * /rooms/{room}/**                    the conference room stand-in, see {@link RoomRelay}
 * </pre>
 * A refused control call answers 400 (429 for {@link FailureReason#CAPACITY}) with the {@link SfuException}
 * message as body and its reason in the {@value Reply#FAILURE_REASON_HEADER} header.
 * <p>{@link #routeThrough} makes a participant reach the SFU through a relay: the candidates of the answer and of
 * every re-offer it gets name the relay's address instead of the SFU's.
 */
public final class SignalServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalServer.class);

    /** How long a long-poll waits for a first event when the client names no timeout. */
    public static final Duration LONG_POLL = Duration.ofSeconds(10);
    private static final Duration LONG_POLL_MAX = Duration.ofSeconds(30);
    /** Bound on every SfuControl call so a stuck SFU fails the peer's request instead of hanging it. */
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(20);
    private static final int BACKLOG = 64;
    private static final String DEFAULT_CLOSE_REASON = "closed by peer";

    private final ObjectMapper json = new ObjectMapper();
    private final SfuControl control;
    private final StaticFiles staticFiles;
    private final StaticFiles keyexchangeFiles;
    private final RoomRelay rooms = new RoomRelay(json);
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, AllocatedEndpoint> byId = new ConcurrentHashMap<>();
    /** Allocation order; also the monitor {@link #awaitEndpoint} waits on. */
    private final List<AllocatedEndpoint> allocated = new ArrayList<>();
    private final Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();
    /** Latest report each endpoint posted; also the monitor {@link #awaitLiveStats} waits on. */
    private final Map<String, PeerStats> liveStats = new HashMap<>();

    /** Serves the pages of {@link TestPaths#webRoot()}. */
    public SignalServer(SfuControl control) throws IOException {
        this(control, TestPaths.webRoot());
    }

    public SignalServer(SfuControl control, Path webRoot) throws IOException {
        this.control = control;
        this.staticFiles = new StaticFiles(webRoot);
        this.keyexchangeFiles = new StaticFiles(TestPaths.keyexchangeJsDir(webRoot));
        AtomicInteger threads = new AtomicInteger();
        // Long-polls park a thread each: an unbounded pool keeps one slow poll from starving the others.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "signal-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("signal server on {} serving {}", baseUrl(), staticFiles.root());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, what peers take as {@code --signal}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The conference rooms' stand-in that pages exchange media keys through. */
    public RoomRelay rooms() {
        return rooms;
    }

    /** Every endpoint allocated through this server, in allocation order. */
    public List<AllocatedEndpoint> endpoints() {
        synchronized (allocated) {
            return List.copyOf(allocated);
        }
    }

    /** The endpoint of that id, if it was allocated through this server. */
    public Optional<AllocatedEndpoint> endpoint(String endpointId) {
        return Optional.ofNullable(byId.get(endpointId));
    }

    /** Waits until a peer named {@code participant} has allocated an endpoint; empty if none did in time. */
    public Optional<AllocatedEndpoint> awaitEndpoint(String participant, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (allocated) {
            while (true) {
                for (AllocatedEndpoint e : allocated) {
                    if (e.participant().equals(participant)) return Optional.of(e);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return Optional.empty();
                allocated.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** From now on, the SFU's candidates sent to {@code participant} name {@code via} (e.g. a {@link UdpShaper}). */
    public void routeThrough(String participant, InetSocketAddress via) {
        routes.put(participant, via);
    }

    /** The report the endpoint posted last (peers that post periodically: peer.html's statsIntervalMs). */
    public Optional<PeerStats> liveStats(String endpointId) {
        synchronized (liveStats) {
            return Optional.ofNullable(liveStats.get(endpointId));
        }
    }

    /** Waits until the endpoint posted a report matching {@code match}; empty if none did in time. */
    public Optional<PeerStats> awaitLiveStats(String endpointId, java.util.function.Predicate<PeerStats> match,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (liveStats) {
            while (true) {
                PeerStats s = liveStats.get(endpointId);
                if (s != null && match.test(s)) return Optional.of(s);
                long left = deadline - System.nanoTime();
                if (left <= 0) return Optional.empty();
                liveStats.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private String routed(String endpointId, String sdp) {
        AllocatedEndpoint e = byId.get(endpointId);
        InetSocketAddress via = e == null ? null : routes.get(e.participant());
        return via == null ? sdp : Candidates.rewrite(sdp, via);
    }

    @Override
    public void close() {
        server.stop(0);
        byId.values().forEach(e -> e.events().shutDown());
        rooms.shutDown();
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (Exception e) {
                reply = failure(exchange, e);
            }
            reply.writeTo(exchange);
        } catch (IOException e) {
            log.debug("response to {} {} not delivered: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    private Reply route(HttpExchange exchange) throws Exception {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        if (path.size() >= 2 && path.get(0).equals("static")) {
            if (!method.equals("GET")) return Reply.text(405, "GET only");
            return staticFiles.get(String.join("/", path.subList(1, path.size())));
        }
        if (path.size() >= 2 && path.get(0).equals("keyexchange")) {
            if (!method.equals("GET")) return Reply.text(405, "GET only");
            return keyexchangeFiles.get(String.join("/", path.subList(1, path.size())));
        }
        if (path.size() >= 2 && path.get(0).equals("rooms")) {
            String body = method.equals("POST") ? Reply.readBody(exchange) : "";
            return rooms.route(method, path.subList(1, path.size()), query(exchange.getRequestURI().getRawQuery()), body);
        }
        if (path.size() == 3 && path.get(0).equals("conferences") && path.get(2).equals("endpoints")) {
            if (!method.equals("POST")) return Reply.text(405, "POST only");
            return allocate(path.get(1), Reply.readBody(exchange));
        }
        if (path.size() == 3 && path.get(0).equals("endpoints")) {
            String id = path.get(1);
            String action = path.get(2);
            if (action.equals("events")) {
                if (!method.equals("GET")) return Reply.text(405, "GET only");
                return events(id, exchange.getRequestURI().getRawQuery());
            }
            if (!method.equals("POST")) return Reply.text(405, "POST only");
            String body = Reply.readBody(exchange);
            switch (action) {
                case "offer":
                    return Reply.sdp(routed(id, await("applyOffer", control.applyOffer(id, requireSdp(body)))));
                case "answer":
                    await("applyAnswer", control.applyAnswer(id, requireSdp(body)));
                    return Reply.noContent();
                case "candidate":
                    return candidate(id, body);
                case "quality":
                    return quality(id, body);
                case "stats":
                    return stats(id, body);
                case "close":
                    await("close", control.close(id, body.isBlank() ? DEFAULT_CLOSE_REASON : body.strip()));
                    return Reply.noContent();
                default:
                    break;
            }
        }
        return Reply.text(404, "no route for " + method + " " + exchange.getRequestURI().getRawPath());
    }

    private Reply allocate(String conferenceId, String body) throws Exception {
        JsonNode request = parseObject(body);
        String participant = requireText(request, "participant");
        JsonNode roleNode = request.get("role");
        Role role = roleNode == null || roleNode.isNull() ? Role.GUEST : Role.valueOf(roleNode.asText());
        JsonNode e2eeNode = request.get("requireE2ee");
        if (e2eeNode != null && !e2eeNode.isNull() && !e2eeNode.isBoolean()) {
            throw new IllegalArgumentException("\"requireE2ee\" must be a boolean");
        }
        boolean requireE2ee = e2eeNode != null && e2eeNode.asBoolean();
        EventLog events = new EventLog();
        EndpointAllocation allocation = await("allocate", control.allocate(
                new AllocateRequest(conferenceId, participant, role, requireE2ee), listener(events, participant)));
        AllocatedEndpoint endpoint =
                new AllocatedEndpoint(allocation.endpointId(), allocation.conferenceId(), participant, role, events);
        byId.put(endpoint.endpointId(), endpoint);
        synchronized (allocated) {
            allocated.add(endpoint);
            allocated.notifyAll();
        }
        log.info("allocated {} for {} ({}{}) in {}", endpoint.endpointId(), participant, role,
                requireE2ee ? ", E2EE required" : "", allocation.conferenceId());
        return Reply.json(json.createObjectNode()
                .put("endpointId", allocation.endpointId())
                .put("conferenceId", allocation.conferenceId())
                .toString());
    }

    private Reply candidate(String endpointId, String body) throws Exception {
        JsonNode request = parseObject(body);
        JsonNode candidate = request.get("candidate");
        JsonNode mid = request.get("sdpMid");
        await("addRemoteCandidate", control.addRemoteCandidate(endpointId,
                candidate == null || candidate.isNull() ? "" : candidate.asText(),
                mid == null || mid.isNull() ? null : mid.asText()));
        return Reply.noContent();
    }

    private Reply quality(String endpointId, String body) throws Exception {
        JsonNode request = parseObject(body);
        await("setVideoQuality", control.setVideoQuality(endpointId, requireText(request, "streamId"),
                requireText(request, "trackId"), VideoQuality.valueOf(requireText(request, "quality"))));
        return Reply.noContent();
    }

    private Reply stats(String endpointId, String body) throws JsonProcessingException {
        PeerStats stats = json.readValue(body, PeerStats.class);
        synchronized (liveStats) {
            liveStats.put(endpointId, stats);
            liveStats.notifyAll();
        }
        return Reply.noContent();
    }

    private Reply events(String endpointId, String rawQuery) throws Exception {
        AllocatedEndpoint endpoint = byId.get(endpointId);
        if (endpoint == null) return Reply.text(404, "endpoint " + endpointId + " was not allocated here");
        Map<String, String> query = query(rawQuery);
        long after = Long.parseLong(query.getOrDefault("after", "0"));
        Duration wait = query.containsKey("timeoutMs")
                ? Duration.ofMillis(Math.min(Long.parseLong(query.get("timeoutMs")), LONG_POLL_MAX.toMillis()))
                : LONG_POLL;
        List<SignalEvent> events = endpoint.events().after(after, wait);
        return Reply.json(json.writeValueAsString(events));
    }

    private EndpointListener listener(EventLog events, String participant) {
        return new EndpointListener() {
            @Override
            public void onConnected(String endpointId) {
                log.info("endpoint {} connected", endpointId);
                events.append(SignalEvent.CONNECTED, null, null, null);
            }

            @Override
            public void onFailed(String endpointId, FailureReason reason, String detail) {
                log.info("endpoint {} failed: {} {}", endpointId, reason, detail);
                events.append(SignalEvent.FAILED, null, reason.name(), detail);
            }

            @Override
            public void onClosed(String endpointId) {
                log.info("endpoint {} closed", endpointId);
                events.append(SignalEvent.CLOSED, null, null, null);
            }

            @Override
            public void onOffer(String endpointId, String sdpOffer) {
                log.info("endpoint {} re-offer", endpointId);
                InetSocketAddress via = routes.get(participant);
                events.append(SignalEvent.OFFER, via == null ? sdpOffer : Candidates.rewrite(sdpOffer, via), null, null);
            }

            @Override
            public void onMediaRefused(String endpointId, String detail) {
                log.info("endpoint {} media refused: {}", endpointId, detail);
                events.append(SignalEvent.MEDIA_REFUSED, null, null, detail);
            }

            @Override
            public void onLayerChanged(String endpointId, String streamId, String trackId, VideoQuality quality,
                    String reason) {
                log.info("endpoint {} gets {} of {}/{} ({})", endpointId, quality, streamId, trackId, reason);
                events.appendLayer(streamId, trackId, quality.name(), reason);
            }
        };
    }

    private <T> T await(String call, CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof Exception ex) throw ex;
            throw e;
        } catch (TimeoutException e) {
            throw new TimeoutException("SfuControl." + call + " did not complete within " + CONTROL_TIMEOUT);
        }
    }

    private Reply failure(HttpExchange exchange, Exception e) {
        String what = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        if (e instanceof SfuException sfu) {
            log.info("{} refused: {} {}", what, sfu.reason(), sfu.getMessage());
            return Reply.refused(sfu.reason() == FailureReason.CAPACITY ? 429 : 400, sfu.reason().name(),
                    String.valueOf(sfu.getMessage()));
        }
        if (e instanceof IllegalArgumentException || e instanceof JsonProcessingException) {
            log.info("{} bad request: {}", what, e.getMessage());
            return Reply.text(400, "bad request: " + e.getMessage());
        }
        if (e instanceof TimeoutException) {
            log.warn("{}: {}", what, e.getMessage());
            return Reply.text(504, e.getMessage());
        }
        log.warn("{} failed", what, e);
        return Reply.text(500, e.toString());
    }

    private JsonNode parseObject(String body) throws JsonProcessingException {
        JsonNode node = json.readTree(body.isBlank() ? "{}" : body);
        if (!node.isObject()) throw new IllegalArgumentException("expected a JSON object");
        return node;
    }

    private static String requireText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return value.asText();
    }

    private static String requireSdp(String body) {
        if (body.isBlank()) throw new IllegalArgumentException("empty SDP");
        return body;
    }

    private static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/"))
                .filter(s -> !s.isEmpty())
                .map(SignalServer::decode)
                .toList();
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null) return params;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return params;
    }

    /** Percent-decoding without URLDecoder's '+'-to-space rule, which is for forms, not paths. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
