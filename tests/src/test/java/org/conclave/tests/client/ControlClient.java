package org.conclave.tests.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.datachannel.DataChannelListener;
import org.conclave.sfu.datachannel.DataChannelStats;
import org.conclave.sfu.datachannel.DataChannelTransport;
import org.conclave.sfu.sctp.ChannelOptions;
import org.conclave.sfu.sctp.CookieSigner;
import org.conclave.sfu.sctp.DataChannel;
import org.conclave.sfu.sctp.SctpSettings;

/**
 * The conference-control side of a {@link JavaPeer}: the SFU's own SCTP stack as the client (DTLS client side,
 * sends INIT) over the peer's DTLS, one reliable channel, JSON messages out, and every message received kept in order,
 * plus the roster folded from snapshots and deltas. Create it before the peer's offer (it adds the data m-line),
 * {@link #open} it after the peer connected.
 */
public final class ControlClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MS = 20;

    private final String name;
    private final ScheduledExecutorService sctpThread;
    private final DataChannelTransport sctp;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    /** System.nanoTime() at which each message of {@link #received} arrived, same index. */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> roster = new ConcurrentHashMap<>();
    private final AtomicInteger requestIds = new AtomicInteger();
    static final int SCTP_MTU = 1100;
    private volatile DataChannel channel;
    /** Whether the SFU's keep-alive {@code m.call.ping} is answered with {@code m.call.pong}, as MSC3898 clients do. */
    private volatile boolean answerPings = true;
    /** When each of the SFU's pings arrived (System.nanoTime). */
    private final List<Long> pingsAt = new CopyOnWriteArrayList<>();

    public ControlClient(JavaPeer peer, String name) {
        this.name = name;
        this.sctpThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "control-client-" + name);
            t.setDaemon(true);
            return t;
        });
        // The transport exists before DTLS does: an MTU below any DTLS record limit (the SFU's side uses the limit
        // itself, 1163 with Bouncy Castle and GCM), so messages larger than one packet fragment correctly.
        this.sctp = new DataChannelTransport(name, SctpSettings.defaults(false).withMtu(SCTP_MTU), CookieSigner.random(),
                NanoClock.SYSTEM,
                sctpThread, peer::sendApplicationData, new DataChannelListener() {
                    @Override
                    public void onTextMessage(String endpointId, DataChannel ch, String text) {
                        onMessage(text);
                    }
                }, new DataChannelStats());
        peer.applicationData = sctp::receive;
    }

    /** Starts SCTP (after the peer's DTLS is up) and opens the reliable "control" channel. */
    public ControlClient open(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        sctp.start(true);
        while (!sctp.established().get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + ": SCTP never came up");
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
        channel = sctp.open("control", ChannelOptions.reliable()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Opens one more data channel (the control one stays); for tests that open and close channels. */
    public DataChannel openChannel(String label, Duration timeout) throws Exception {
        return sctp.open(label, ChannelOptions.reliable()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes a channel {@link #openChannel} opened (a stream reset, on the SCTP thread). */
    public void closeChannel(DataChannel ch) {
        sctpThread.execute(ch::close);
    }

    /** Sends {@code {"type": type, "content": content}}. */
    public void send(String type, Map<String, ?> content) {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", type);
        m.set("content", JSON.valueToTree(content));
        sendRaw(m.toString());
    }

    /** Sends any text as it is. */
    public void sendRaw(String text) {
        DataChannel ch = channel;
        if (ch == null) throw new IllegalStateException(name + ": not open");
        sctp.send(ch, text);
    }

    /** Sends with a fresh {@code request_id} added to the content; returns it. */
    public String request(String type, Map<String, ?> content) {
        String id = name + "-" + requestIds.incrementAndGet();
        ObjectNode c = JSON.valueToTree(content);
        c.put("request_id", id);
        ObjectNode m = JSON.createObjectNode();
        m.put("type", type);
        m.set("content", c);
        sendRaw(m.toString());
        return id;
    }

    /** Sends with a request id and waits for the reply that echoes it (ok, error, pong, negotiate, roster). */
    public JsonNode call(String type, Map<String, ?> content, Duration timeout) throws InterruptedException {
        String id = request(type, content);
        return await(0, null, c -> id.equals(c.path("request_id").asText(null)), timeout);
    }

    /**
     * Sends with a request id and returns the nanoseconds until the reply echoing it arrived (taken on arrival, not
     * when a poll noticed it); fails like {@link #call} when none comes.
     */
    public long roundTripNanos(String type, Map<String, ?> content, Duration timeout) throws InterruptedException {
        int from = mark();
        long sent = System.nanoTime();
        String id = request(type, content);
        await(from, null, c -> id.equals(c.path("request_id").asText(null)), timeout);
        for (int i = from; i < received.size(); i++) {
            if (id.equals(content(received.get(i)).path("request_id").asText(null))) return arrivals.get(i) - sent;
        }
        throw new AssertionError(name + ": the reply to " + id + " went missing");
    }

    /** Stops (or resumes) answering the SFU's keep-alive pings: a client that hung. */
    public void answerPings(boolean answer) {
        answerPings = answer;
    }

    /** When each of the SFU's keep-alive pings arrived (System.nanoTime), oldest first. */
    public List<Long> pingsAt() {
        return List.copyOf(pingsAt);
    }

    /** Every message received so far, oldest first. */
    public List<JsonNode> messages() {
        return List.copyOf(received);
    }

    /** The contents of the messages of this type, oldest first. */
    public List<JsonNode> contents(String type) {
        return received.stream().filter(m -> type.equals(m.path("type").asText())).map(ControlClient::content).toList();
    }

    /** How many messages arrived so far: a mark for {@link #await(int, String, Predicate, Duration)}. */
    public int mark() {
        return received.size();
    }

    /**
     * The content of the first message at index {@code from} or later of this type (any type when null) whose
     * content matches; waits for it until the timeout, then fails naming what did arrive.
     */
    public JsonNode await(int from, String type, Predicate<JsonNode> content, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (true) {
            while (i < received.size()) {
                JsonNode m = received.get(i++);
                if ((type == null || type.equals(m.path("type").asText())) && content.test(content(m))) return content(m);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no " + (type == null ? "reply" : type) + " as expected within "
                        + timeout.toMillis() + " ms; got " + received.subList(Math.min(from, received.size()), received.size()));
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }

    /** Any message of this type from now on. */
    public JsonNode awaitNext(String type, Duration timeout) throws InterruptedException {
        return await(mark(), type, c -> true, timeout);
    }

    /** Any message of this type so far or later. */
    public JsonNode await(String type, Duration timeout) throws InterruptedException {
        return await(0, type, c -> true, timeout);
    }

    /** The roster as this client knows it now (snapshots and deltas folded), by endpoint id. */
    public Map<String, JsonNode> roster() {
        return Map.copyOf(roster);
    }

    /** Polls until the folded roster satisfies {@code test}; fails with the roster otherwise. */
    public void awaitRoster(Predicate<Map<String, JsonNode>> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!test.test(roster())) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + ": roster never as expected: " + roster());
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }

    private static JsonNode content(JsonNode m) {
        JsonNode c = m.get("content");
        return c == null ? JSON.createObjectNode() : c;
    }

    /** SCTP thread. */
    private void onMessage(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            m = JSON.createObjectNode().put("type", "unparsable").put("text", text);
        }
        if ("m.call.ping".equals(m.path("type").asText())) {
            pingsAt.add(System.nanoTime());
            DataChannel ch = channel;
            if (answerPings && ch != null) {
                ObjectNode pong = JSON.createObjectNode().put("type", "m.call.pong");
                pong.set("content", content(m));
                sctp.send(ch, pong.toString());
            }
        }
        if ("org.conclave.roster".equals(m.path("type").asText())) {
            JsonNode c = content(m);
            if (c.path("snapshot").asBoolean()) {
                roster.clear();
                c.path("entries").forEach(e -> roster.put(e.path("id").asText(), e));
            } else {
                c.path("changed").forEach(e -> roster.put(e.path("id").asText(), e));
                c.path("removed").forEach(id -> roster.remove(id.asText()));
            }
        }
        arrivals.add(System.nanoTime());
        received.add(m);
    }

    @Override
    public void close() {
        sctp.close();
        sctpThread.shutdown();
    }
}
