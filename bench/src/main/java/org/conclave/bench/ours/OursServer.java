package org.conclave.bench.ours;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.conclave.bench.signal.BenchEvent;
import org.conclave.bench.signal.EventQueue;
import org.conclave.bench.signal.SignalHttp;
import org.conclave.bench.signal.SignalHttp.Reply;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.forward.WorkerStats;

/**
 * Our SFU as a benchmark target: {@link Sfu#start} plus plain-HTTP signalling, nothing else, so the process's CPU
 * and memory are the SFU's. Run as its own JVM ({@link #main}) or in-process (the smoke test).
 * <pre>
 * POST /endpoints              {"conference":"..","participant":".."} -> {"endpointId":".."}
 * POST /endpoints/{id}/offer   SDP offer -> SDP answer
 * POST /endpoints/{id}/answer  SDP answer to a re-offer -> 204
 * GET  /events?after=N&amp;timeoutMs=T  long-poll, every endpoint -> [{"seq","endpoint","type","sdp"}]
 * GET  /stats                  the packet thread's counters
 * </pre>
 */
public final class OursServer implements AutoCloseable {
    /** Generous limits: the benchmark decides the load, not the SFU's configured caps. */
    static final int MAX_ENDPOINTS = 5_000;
    static final long CONTROL_TIMEOUT_SECONDS = 30;
    static final long MAX_POLL_MILLIS = 30_000;
    public static final String READY = "BENCH-READY";

    private final Sfu sfu;
    private final SignalHttp http;
    private final boolean requireE2ee;
    private final EventQueue events = new EventQueue();
    private final ObjectMapper json = new ObjectMapper();

    private OursServer(InetAddress bind, int httpPort, boolean requireE2ee, int packetThreads) throws IOException {
        this(bind, httpPort, requireE2ee, packetThreads, null);
    }

    private OursServer(InetAddress bind, int httpPort, boolean requireE2ee, int packetThreads, String udpSend)
            throws IOException {
        this.requireE2ee = requireE2ee;
        SfuConfig config = SfuConfig.defaults().withBindAddress(bind.getHostAddress()).withUdpPort(0)
                .withMaxEndpoints(MAX_ENDPOINTS).withMaxEndpointsPerConference(MAX_ENDPOINTS);
        if (packetThreads > 0) {
            try {
                config = config.withPacketThreads(packetThreads);
            } catch (NoSuchMethodError e) {
                // an SFU built before packet threads (--sfu-commit): it has exactly one
            }
        }
        if (udpSend != null) {
            config = config.withUdpSend(org.conclave.sfu.config.UdpSend.valueOf(udpSend.toUpperCase(java.util.Locale.ROOT)));
        }
        sfu = Sfu.start(config);
        try {
            http = new SignalHttp(bind, httpPort, this::route);
        } catch (IOException | RuntimeException e) {
            sfu.close();
            throw e;
        }
    }

    /** @param requireE2ee allocate endpoints in conferences that forward only SFrame media (as in encrypted rooms) */
    public static OursServer start(InetAddress bind, int httpPort, boolean requireE2ee) throws IOException {
        return new OursServer(bind, httpPort, requireE2ee, 0);
    }

    /** Whether this build of the SFU can enforce E2EE per conference (AllocateRequest has requireE2ee). */
    public static boolean e2eeSupported() {
        try {
            AllocateRequest.class.getConstructor(String.class, String.class, Role.class, boolean.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** By reflection, so the benchmark also runs against SFU builds from before E2EE enforcement existed. */
    private AllocateRequest request(String conference, String participant) throws ReflectiveOperationException {
        if (requireE2ee && e2eeSupported()) {
            return AllocateRequest.class.getConstructor(String.class, String.class, Role.class, boolean.class)
                    .newInstance(conference, participant, Role.GUEST, true);
        }
        return new AllocateRequest(conference, participant, Role.GUEST);
    }

    public int httpPort() {
        return http.port();
    }

    public Sfu sfu() {
        return sfu;
    }

    private Reply route(String method, List<String> path, String query, String body) throws Exception {
        SfuControl control = sfu.control();
        if (method.equals("POST") && path.equals(List.of("endpoints"))) {
            JsonNode req = json.readTree(body);
            String endpoint = control.allocate(request(req.path("conference").asText(), req.path("participant").asText()),
                    listener())
                    .toCompletableFuture().get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS).endpointId();
            return Reply.json(json.createObjectNode().put("endpointId", endpoint).toString());
        }
        if (method.equals("POST") && path.size() == 3 && path.get(0).equals("endpoints")) {
            String id = path.get(1);
            switch (path.get(2)) {
                case "offer":
                    return Reply.text(control.applyOffer(id, body).toCompletableFuture()
                            .get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                case "answer":
                    control.applyAnswer(id, body).toCompletableFuture().get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return Reply.noContent();
                case "close":
                    control.close(id, "benchmark done").toCompletableFuture().get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return Reply.noContent();
                default:
                    return null;
            }
        }
        if (method.equals("GET") && path.equals(List.of("events"))) {
            long after = Long.parseLong(SignalHttp.query(query, "after", "0"));
            long wait = Math.min(MAX_POLL_MILLIS, Long.parseLong(SignalHttp.query(query, "timeoutMs", "10000")));
            return Reply.json(json.writeValueAsString(events.after(after, wait)));
        }
        if (method.equals("GET") && path.equals(List.of("stats"))) {
            return Reply.json(counters(sfu.packetStats()).toString());
        }
        return null;
    }

    /** Every public long counter of the packet thread, by reflection, so the SFU can add or drop counters freely. */
    private com.fasterxml.jackson.databind.node.ObjectNode counters(WorkerStats stats) throws ReflectiveOperationException {
        com.fasterxml.jackson.databind.node.ObjectNode out = json.createObjectNode();
        for (java.lang.reflect.Method m : WorkerStats.class.getMethods()) {
            if (m.getParameterCount() == 0 && m.getReturnType() == long.class) out.put(m.getName(), (long) m.invoke(stats));
        }
        return out;
    }

    private EndpointListener listener() {
        return new EndpointListener() {
            @Override
            public void onConnected(String endpointId) {
                events.add(endpointId, BenchEvent.CONNECTED, null);
            }

            @Override
            public void onFailed(String endpointId, FailureReason reason, String detail) {
                events.add(endpointId, BenchEvent.FAILED, reason + ": " + detail);
            }

            @Override
            public void onClosed(String endpointId) {
                events.add(endpointId, BenchEvent.CLOSED, null);
            }

            @Override
            public void onOffer(String endpointId, String sdpOffer) {
                events.add(endpointId, BenchEvent.OFFER, sdpOffer);
            }
        };
    }

    @Override
    public void close() {
        http.close();
        sfu.close();
    }

    /**
     * {@code --bind IP [--http-port N] [--require-e2ee true|false] [--packet-threads N]}; prints {@value #READY} with the port, the pid and
     * whether E2EE is enforced, and runs until killed.
     */
    public static void main(String[] args) throws Exception {
        String bind = "127.0.0.1";
        int port = 0;
        boolean e2ee = true;
        int packetThreads = 0;
        String udpSend = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bind" -> bind = args[i + 1];
                case "--http-port" -> port = Integer.parseInt(args[i + 1]);
                case "--require-e2ee" -> e2ee = Boolean.parseBoolean(args[i + 1]);
                case "--packet-threads" -> packetThreads = Integer.parseInt(args[i + 1]);
                case "--udp-send" -> udpSend = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        OursServer server = new OursServer(InetAddress.getByName(bind), port, e2ee, packetThreads, udpSend);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        System.out.println(READY + " port=" + server.httpPort() + " pid=" + ProcessHandle.current().pid() + " e2ee="
                + (!e2ee ? "off" : e2eeSupported() ? "enforced" : "unsupported-by-this-sfu"));
        System.out.flush();
        stop.await();
    }
}
