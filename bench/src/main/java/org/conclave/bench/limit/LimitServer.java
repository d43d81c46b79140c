package org.conclave.bench.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.bench.client.MediaSection;
import org.conclave.bench.client.RemoteDescription;
import org.conclave.bench.signal.SignalHttp;
import org.conclave.bench.signal.SignalHttp.Reply;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.dtls.DtlsCertificate;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.dtls.DtlsSession;
import org.conclave.sfu.dtls.FailureKind;
import org.conclave.sfu.dtls.Fingerprint;
import org.conclave.sfu.ice.IceCandidates;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * The limit forwarder as a benchmark target: ICE-lite, DTLS server and SRTP from the sfu module for setup, then
 * {@link LimitForwarder}. Subscriptions are explicit, by the publisher's SSRC (kept unchanged on the way out).
 * <pre>
 * POST /endpoints                  -> {"endpointId":".."}
 * POST /endpoints/{id}/offer       SDP offer -> SDP answer (ice-lite, one host candidate, setup:passive)
 * POST /endpoints/{id}/subscribe   "ssrc,ssrc,..." (unsigned decimal) -> 204 once the packet thread has them
 * GET  /stats
 * </pre>
 */
public final class LimitServer implements AutoCloseable {
    static final long TASK_TIMEOUT_SECONDS = 10;

    private final LimitForwarder forwarder;
    private final SignalHttp http;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final Map<String, LimitEndpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService dtlsThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "limit-dtls");
        t.setDaemon(true);
        return t;
    });
    private final ObjectMapper json = new ObjectMapper();
    private final String candidate;

    private LimitServer(InetAddress bind, int httpPort) throws IOException {
        forwarder = new LimitForwarder(new InetSocketAddress(bind, 0));
        InetSocketAddress media = forwarder.localAddress();
        candidate = "candidate:1 1 udp " + IceCandidates.priority(IceCandidates.HOST_TYPE_PREFERENCE,
                IceCandidates.MAX_LOCAL_PREFERENCE, 1) + " " + bind.getHostAddress() + " " + media.getPort() + " typ host";
        http = new SignalHttp(bind, httpPort, this::route);
    }

    public static LimitServer start(InetAddress bind, int httpPort) throws IOException {
        return new LimitServer(bind, httpPort);
    }

    public int httpPort() {
        return http.port();
    }

    private Reply route(String method, List<String> path, String query, String body) throws Exception {
        if (method.equals("POST") && path.equals(List.of("endpoints"))) {
            String id = "e" + ids.incrementAndGet();
            IceCredentials credentials = IceCredentials.random();
            LimitEndpoint ep = new LimitEndpoint(id, new IceLiteAgent(credentials, NanoClock.SYSTEM));
            endpoints.put(id, ep);
            forwarder.addEndpoint(ep, credentials.ufrag());
            return Reply.json(json.createObjectNode().put("endpointId", id)
                    .put("ufrag", credentials.ufrag()).put("pwd", credentials.pwd()).toString());
        }
        if (method.equals("POST") && path.size() == 3 && path.get(0).equals("endpoints")) {
            LimitEndpoint ep = endpoints.get(path.get(1));
            if (ep == null) return Reply.error(404, "no endpoint " + path.get(1));
            switch (path.get(2)) {
                case "offer":
                    return Reply.text(answer(ep, RemoteDescription.parse(body)));
                case "subscribe":
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    for (String s : body.split(",")) {
                        if (!s.isBlank()) forwarder.subscribe((int) Long.parseLong(s.strip()), ep);
                    }
                    forwarder.execute(() -> done.complete(null));
                    done.get(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return Reply.noContent();
                default:
                    return null;
            }
        }
        if (method.equals("GET") && path.equals(List.of("stats"))) {
            JsonNode stats = json.createObjectNode().put("received", forwarder.received)
                    .put("sent", forwarder.sent).put("dropped", forwarder.dropped);
            return Reply.json(stats.toString());
        }
        return null;
    }

    /** Starts the DTLS server for {@code ep} and answers its offer, mirroring its m-lines. */
    private String answer(LimitEndpoint ep, RemoteDescription offer) {
        List<Fingerprint> fingerprints = new ArrayList<>();
        for (String f : offer.fingerprints()) fingerprints.add(Fingerprint.parse(f));
        DtlsServerSession dtls = new DtlsServerSession(certificate, fingerprints,
                (b, off, len) -> forwarder.sendFromOtherThread(b, off, len, ep.address), new DtlsSession.Listener() {
                    @Override
                    public void onHandshakeComplete(SrtpProfile profile, SrtpKeys keys) {
                        SrtpSession srtp = new SrtpSession(profile, keys, true);
                        forwarder.execute(() -> ep.srtp = srtp);
                    }

                    @Override
                    public void onFailed(FailureKind kind, String detail) {}

                    @Override
                    public void onApplicationData(byte[] b, int off, int len) {}

                    @Override
                    public void onClosed() {}
                });
        forwarder.execute(() -> ep.dtls = dtls);
        dtls.start(dtlsThreads);
        IceCredentials local = ep.ice.localCredentials();
        List<String> l = new ArrayList<>(List.of("v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-lite"));
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (MediaSection s : offer.sections()) bundle.append(' ').append(s.mid());
        l.add(bundle.toString());
        for (MediaSection s : offer.sections()) {
            String[] m = s.lines().get(0).split(" ", 3);
            l.add(m[0] + " 9 " + m[2]);
            l.add("c=IN IP4 0.0.0.0");
            l.add("a=ice-ufrag:" + local.ufrag());
            l.add("a=ice-pwd:" + local.pwd());
            l.add("a=fingerprint:" + certificate.fingerprint().toSdpValue());
            l.add("a=setup:passive");
            l.add("a=mid:" + s.mid());
            l.add(switch (s.direction()) {
                case "sendonly" -> "a=recvonly";
                case "recvonly" -> "a=sendonly";
                default -> "a=" + s.direction();
            });
            l.add("a=rtcp-mux");
            for (String line : s.lines()) {
                if (line.startsWith("a=rtpmap:") || line.startsWith("a=fmtp:")) l.add(line);
            }
            l.add("a=" + candidate);
            l.add("a=end-of-candidates");
        }
        return String.join("\r\n", l) + "\r\n";
    }

    @Override
    public void close() {
        http.close();
        forwarder.close();
        dtlsThreads.shutdownNow();
    }

    /** {@code --bind IP [--http-port N]}; prints the ready line with port and pid, runs until killed. */
    public static void main(String[] args) throws Exception {
        String bind = "127.0.0.1";
        int port = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bind" -> bind = args[i + 1];
                case "--http-port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        LimitServer server = start(InetAddress.getByName(bind), port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        System.out.println(org.conclave.bench.ours.OursServer.READY + " port=" + server.httpPort()
                + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        stop.await();
    }
}
