package org.conclave.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.client.LocalDescriptions;
import org.conclave.bench.client.RemoteDescription;
import org.conclave.bench.load.Generator;
import org.conclave.bench.ours.OursServer;
import org.conclave.bench.scenario.Participant;
import org.conclave.bench.scenario.Track;
import org.conclave.bench.signal.BenchEvent;

/**
 * Our SFU: one connection per participant; the SFU re-offers every source of the conference and the participant
 * accepts the m-lines of the tracks it wants and rejects the rest (port 0), which is how a receiver declines a
 * source until the data-channel subscription messages exist.
 */
public final class OursTarget implements Target {
    static final long READY_TIMEOUT_MS = 60_000;
    static final long CONNECT_TIMEOUT_MS = 20_000;
    static final long SETTLE_TIMEOUT_MS = 120_000;
    static final long POLL_MS = 5_000;

    private final Launch launch;
    private final boolean inProcess;
    private final boolean requireE2ee;
    private final int packetThreads;
    private final String name;
    private final String build;
    /** sfu.udp_send for the SFU process, or null for its default. */
    private String udpSend;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Rig> byEndpoint = new ConcurrentHashMap<>();
    private final Map<Integer, Rig> byParticipant = new ConcurrentHashMap<>();
    private final Map<String, Long> answerVersions = new ConcurrentHashMap<>();
    private final ExecutorService answering = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-ours-answer");
        t.setDaemon(true);
        return t;
    });
    private Generator generator;
    private ServerProcess process;
    private OursServer embedded;
    private SignalClient signal;
    private Thread poller;
    private volatile boolean running = true;
    private volatile String failure;
    private long pid;
    private List<Track> tracks = List.of();

    /**
     * @param inProcess run the SFU in this JVM (smoke test) instead of its own process
     * @param requireE2ee conferences forward only SFrame media (what an encrypted Matrix room gets)
     * @param packetThreads the SFU's packet threads: "ours" runs 1, "ours2" 2
     */
    public OursTarget(Launch launch, boolean inProcess, boolean requireE2ee, int packetThreads) {
        this(launch, inProcess, requireE2ee, packetThreads, packetThreads == 1 ? "ours" : "ours" + packetThreads, null);
    }

    /**
     * @param name the target's name in the results ("ours-base": a baseline build, see {@link Launch#withSfuJar})
     * @param build what build of the SFU {@code launch} runs, for the description, or null for the benchmark's own
     */
    public OursTarget(Launch launch, boolean inProcess, boolean requireE2ee, int packetThreads, String name,
            String build) {
        this.name = name;
        this.build = build;
        this.packetThreads = packetThreads;
        this.launch = launch;
        this.inProcess = inProcess;
        this.requireE2ee = requireE2ee;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Conclave SFU" + (build == null ? "" : " " + build) + " (" + packetThreads + " packet thread"
                + (packetThreads == 1 ? "" : "s") + "), E2EE enforcement " + e2ee() + ", "
                + (inProcess ? "in the generator's JVM" : "own JVM " + String.join(" ", launch.jvmOptions()));
    }

    /** Whether the server enforces E2EE: its own word when it runs apart (it may be another build of the SFU). */
    private String e2ee() {
        if (!requireE2ee) return "off";
        String said = process == null ? "" : process.readyLine();
        if (said.contains("e2ee=enforced")) return "on";
        if (said.contains("e2ee=unsupported")) return "not in this build";
        return OursServer.e2eeSupported() ? "on" : "not in this build";
    }

    /** The SFU's sfu.udp_send ({@code direct} or {@code gso}); unset: its default. Call before {@link #start}. */
    public void udpSend(String mode) {
        this.udpSend = mode;
    }

    /** The scenario's tracks, needed to tell which kinds a participant receives. Call before {@link #join}. */
    public void tracks(List<Track> all) {
        this.tracks = List.copyOf(all);
    }

    @Override
    public void start(Generator generator) throws Exception {
        this.generator = generator;
        int port;
        if (inProcess) {
            embedded = OursServer.start(launch.serverAddress(), 0, requireE2ee);
            port = embedded.httpPort();
            pid = ProcessHandle.current().pid();
        } else {
            List<String> args = new java.util.ArrayList<>(List.of("--bind", launch.serverAddress().getHostAddress(),
                    "--require-e2ee", Boolean.toString(requireE2ee), "--packet-threads", Integer.toString(packetThreads)));
            if (udpSend != null) args.addAll(List.of("--udp-send", udpSend));
            process = ServerProcess.start(launch.javaCommand(OursServer.class.getName(), args, name()), launch.netns(),
                    launch.workDir().resolve(name + ".log"));
            int[] ready = process.awaitReady(READY_TIMEOUT_MS);
            port = ready[0];
            pid = ready[1];
        }
        signal = new SignalClient("http://" + launch.serverAddress().getHostAddress() + ":" + port);
        poller = new Thread(this::poll, "bench-ours-events");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public boolean ownJvm() {
        return !inProcess;
    }

    @Override
    public long pid() {
        return pid;
    }

    /**
     * Rooms join in parallel; within a room one participant at a time, each waiting until everyone in the room has
     * answered the re-offers it caused. Joining a room concurrently makes the SFU (at the time of writing) fail an
     * answer with a NullPointerException: an answer to an older offer subscribes a source added after that offer.
     */
    @Override
    public void join(List<Participant> joining, List<Participant> everyone) throws Exception {
        Map<String, List<Participant>> byRoom = new java.util.LinkedHashMap<>();
        for (Participant p : joining) byRoom.computeIfAbsent(p.room(), r -> new ArrayList<>()).add(p);
        Parallel.forEach(new ArrayList<>(byRoom.values()), members -> {
            for (Participant p : members) {
                connect(p);
                List<Participant> present = new ArrayList<>();
                for (Participant o : everyone) {
                    if (o.room().equals(p.room()) && byParticipant.containsKey(o.id())) present.add(o);
                }
                awaitReceiving(present);
            }
        });
        awaitReceiving(everyone);
    }

    /** Waits until every participant in {@code present} receives every track it wants from {@code present}. */
    private void awaitReceiving(List<Participant> present) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
        for (Participant p : present) {
            Rig rig = byParticipant.get(p.id());
            Set<Integer> needed = Rig.available(p, present);
            synchronized (rig) {
                while (!rig.receiving.containsAll(needed)) {
                    if (failure != null) throw new IOException(failure);
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        Set<Integer> missing = new HashSet<>(needed);
                        missing.removeAll(rig.receiving);
                        throw new IOException(p.name() + " still lacks tracks " + missing + " after re-offers");
                    }
                    rig.wait(Math.min(left, 500));
                }
            }
        }
    }

    private void connect(Participant p) throws Exception {
        Rig rig = new Rig(p);
        BenchTransport t = generator.newTransport("ours-" + p.name());
        t.setWanted(Rig.mask(p, generator.trackCount()));
        rig.publisher = t;
        rig.subscriber = t;
        byParticipant.put(p.id(), rig);
        JsonNode allocated = json.readTree(signal.post("/endpoints", json.createObjectNode()
                .put("conference", p.room()).put("participant", p.name()).toString()));
        rig.endpointId = allocated.path("endpointId").asText();
        byEndpoint.put(rig.endpointId, rig);
        String offer = LocalDescriptions.offer(t.identity(), rig.publishLines(generator, t, tracks, true));
        RemoteDescription answer = RemoteDescription.parse(signal.post("/endpoints/" + rig.endpointId + "/offer", offer));
        generator.connect(t, answer, answer.candidateOn(launch.serverAddress()), true, CONNECT_TIMEOUT_MS);
    }

    private void poll() {
        long after = 0;
        while (running) {
            try {
                JsonNode events = json.readTree(signal.get("/events?after=" + after + "&timeoutMs=" + POLL_MS,
                        Duration.ofMillis(POLL_MS * 3)));
                for (JsonNode e : events) {
                    after = Math.max(after, e.path("seq").asLong());
                    BenchEvent event = new BenchEvent(e.path("seq").asLong(), e.path("endpoint").asText(),
                            e.path("type").asText(), e.path("sdp").asText(null));
                    if (event.type().equals(BenchEvent.OFFER)) answering.execute(() -> answer(event));
                    else if (event.type().equals(BenchEvent.FAILED)) failure = event.endpoint() + " failed: " + event.sdp();
                }
            } catch (IOException e) {
                if (!running) return;
                sleepQuietly();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Accepts our own m-lines and the sources this participant wants; rejects the rest. */
    private void answer(BenchEvent event) {
        Rig rig = byEndpoint.get(event.endpoint());
        if (rig == null) return;
        try {
            RemoteDescription offer = RemoteDescription.parse(event.sdp());
            Set<String> own = new HashSet<>();
            for (Track tr : rig.participant.publishes()) own.add(tr.mid());
            own.add("ra");
            own.add("rv");
            List<Integer> accepted = new ArrayList<>();
            long version = answerVersions.merge(event.endpoint(), 1L, Long::sum) + 1;
            String answer = LocalDescriptions.answer(offer, rig.subscriber.identity(), s -> {
                if (own.contains(s.mid())) return true;
                int track = Rig.trackIndex(s.trackId());
                boolean take = s.remoteSends() && track >= 0 && rig.subscriber.wants(track);
                if (take) accepted.add(track);
                return take;
            }, version);
            dump(rig, version, event.sdp(), answer);
            signal.post("/endpoints/" + event.endpoint() + "/answer", answer);
            synchronized (rig) {
                if (version > rig.receivingVersion) { // answers may finish out of order on the pool
                    rig.receivingVersion = version;
                    rig.receiving.clear();
                    rig.receiving.addAll(accepted);
                }
                rig.notifyAll();
            }
        } catch (Exception e) {
            failure = "answering the re-offer to " + rig.participant.name() + " failed: " + e;
        }
    }

    /** With -Dbench.sdpDump=DIR, keeps every re-offer and our answer (for debugging a target's SDP). */
    private static void dump(Rig rig, long version, String offer, String answer) {
        String dir = System.getProperty("bench.sdpDump");
        if (dir == null) return;
        try {
            java.nio.file.Path d = java.nio.file.Path.of(dir);
            java.nio.file.Files.createDirectories(d);
            String base = rig.participant.name() + "-" + version;
            java.nio.file.Files.writeString(d.resolve(base + "-offer.sdp"), offer);
            java.nio.file.Files.writeString(d.resolve(base + "-answer.sdp"), answer);
        } catch (IOException e) {
            // debugging aid only
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String counters() {
        try {
            return signal.get("/stats", Duration.ofSeconds(5));
        } catch (Exception e) {
            return "{}";
        }
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) poller.interrupt();
        answering.shutdownNow();
        if (embedded != null) embedded.close();
        if (process != null) process.close();
    }
}
