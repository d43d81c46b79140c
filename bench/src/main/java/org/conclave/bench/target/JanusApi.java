package org.conclave.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Janus's HTTP API for one session: synchronous requests, plugin messages whose answer comes as an event, and the
 * long poll that delivers events (answers, webrtcup, hangups) for every handle of the session.
 */
final class JanusApi implements AutoCloseable {
    static final String VIDEOROOM = "janus.plugin.videoroom";
    static final int MAX_EVENTS_PER_POLL = 100;
    static final long EVENT_TIMEOUT_SECONDS = 30;

    private final SignalClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong transactions = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> webrtcUp = new ConcurrentHashMap<>();
    private volatile String failure;
    private volatile boolean running = true;
    private long session;
    private Thread poller;

    JanusApi(String baseUrl) {
        this.http = new SignalClient(baseUrl);
    }

    void awaitUp(long timeoutMillis) throws Exception {
        http.awaitUp("/janus/info", timeoutMillis);
    }

    void createSession() throws Exception {
        session = request("/janus", request("create")).path("data").path("id").asLong();
        poller = new Thread(this::poll, "bench-janus-events");
        poller.setDaemon(true);
        poller.start();
    }

    long attach() throws Exception {
        ObjectNode r = request("attach");
        r.put("plugin", VIDEOROOM);
        return request("/janus/" + session, r).path("data").path("id").asLong();
    }

    /** A plugin request answered in the HTTP response (create room). */
    JsonNode syncMessage(long handle, ObjectNode body) throws Exception {
        ObjectNode r = request("message");
        r.set("body", body);
        return request("/janus/" + session + "/" + handle, r).path("plugindata").path("data");
    }

    /** A plugin request (with an optional JSEP) whose outcome arrives as an event; returns that event. */
    JsonNode asyncMessage(long handle, ObjectNode body, ObjectNode jsep) throws Exception {
        ObjectNode r = request("message");
        r.set("body", body);
        if (jsep != null) r.set("jsep", jsep);
        String tx = r.path("transaction").asText();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(tx, f);
        JsonNode ack = post("/janus/" + session + "/" + handle, r);
        if (!ack.path("janus").asText().equals("ack") && !ack.path("janus").asText().equals("success")) {
            pending.remove(tx);
            throw new IOException("Janus refused " + body + ": " + ack);
        }
        JsonNode event = f.get(EVENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        JsonNode data = event.path("plugindata").path("data");
        if (data.has("error")) throw new IOException("Janus: " + data.path("error").asText() + " for " + body);
        return event;
    }

    void trickleCompleted(long handle) throws Exception {
        ObjectNode r = request("trickle");
        r.putObject("candidate").put("completed", true);
        post("/janus/" + session + "/" + handle, r);
    }

    /** Completes when Janus reports the handle's PeerConnection up (ICE and DTLS done). */
    CompletableFuture<Void> webrtcUp(long handle) {
        return webrtcUp.computeIfAbsent(handle, h -> new CompletableFuture<>());
    }

    String failure() {
        return failure;
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    private ObjectNode request(String type) {
        ObjectNode r = json.createObjectNode();
        r.put("janus", type);
        r.put("transaction", "t" + transactions.incrementAndGet());
        return r;
    }

    private JsonNode request(String path, ObjectNode r) throws Exception {
        JsonNode reply = post(path, r);
        if (!reply.path("janus").asText().equals("success")) throw new IOException("Janus refused " + r + ": " + reply);
        return reply;
    }

    private JsonNode post(String path, ObjectNode r) throws Exception {
        return json.readTree(http.post(path, r.toString()));
    }

    private void poll() {
        while (running) {
            try {
                JsonNode reply = json.readTree(http.get("/janus/" + session + "?maxev=" + MAX_EVENTS_PER_POLL,
                        Duration.ofSeconds(60)));
                if (reply.isArray()) {
                    for (JsonNode e : reply) dispatch(e);
                } else {
                    dispatch(reply);
                }
            } catch (Exception e) {
                if (!running) return;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void dispatch(JsonNode e) {
        String type = e.path("janus").asText();
        long sender = e.path("sender").asLong();
        switch (type) {
            case "event" -> {
                CompletableFuture<JsonNode> f = pending.remove(e.path("transaction").asText(""));
                if (f != null) f.complete(e);
            }
            case "webrtcup" -> webrtcUp(sender).complete(null);
            case "hangup" -> failure = "Janus hung up handle " + sender + ": " + e.path("reason").asText();
            default -> {
                // keepalive, media, slowlink, ack: nothing to do
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) poller.interrupt();
    }
}
