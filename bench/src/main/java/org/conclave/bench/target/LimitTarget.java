package org.conclave.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.client.LocalDescriptions;
import org.conclave.bench.client.RemoteDescription;
import org.conclave.bench.limit.LimitServer;
import org.conclave.bench.load.Generator;
import org.conclave.bench.scenario.Participant;
import org.conclave.bench.scenario.Track;

/** The limit forwarder: one connection per participant, subscriptions by SSRC. */
public final class LimitTarget implements Target {
    static final long READY_TIMEOUT_MS = 60_000;
    static final long CONNECT_TIMEOUT_MS = 20_000;

    private final Launch launch;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Rig> byParticipant = new ConcurrentHashMap<>();
    private Generator generator;
    private ServerProcess process;
    private SignalClient signal;
    private long pid;
    private List<Track> tracks = List.of();

    public LimitTarget(Launch launch) {
        this.launch = launch;
    }

    @Override
    public String name() {
        return "limit";
    }

    @Override
    public String description() {
        return "limit forwarder (receive, 1 decrypt, N x (encrypt, send); one packet thread), own JVM "
                + String.join(" ", launch.jvmOptions());
    }

    public void tracks(List<Track> all) {
        this.tracks = List.copyOf(all);
    }

    @Override
    public void start(Generator generator) throws Exception {
        this.generator = generator;
        process = ServerProcess.start(launch.javaCommand(LimitServer.class.getName(),
                List.of("--bind", launch.serverAddress().getHostAddress()), "limit"), launch.netns(),
                launch.workDir().resolve("limit.log"));
        int[] ready = process.awaitReady(READY_TIMEOUT_MS);
        pid = ready[1];
        signal = new SignalClient("http://" + launch.serverAddress().getHostAddress() + ":" + ready[0]);
    }

    @Override
    public boolean ownJvm() {
        return true;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public void join(List<Participant> joining, List<Participant> everyone) throws Exception {
        Parallel.forEach(joining, this::connect);
        Parallel.forEach(everyone, p -> {
            Rig rig = byParticipant.get(p.id());
            Set<Integer> needed = Rig.available(p, everyone);
            needed.removeAll(rig.receiving);
            if (needed.isEmpty()) return;
            List<String> ssrcs = new ArrayList<>();
            for (int track : needed) ssrcs.add(Integer.toUnsignedString(generator.outgoing(track).ssrc()));
            signal.post("/endpoints/" + rig.endpointId + "/subscribe", String.join(",", ssrcs));
            rig.receiving.addAll(needed);
        });
    }

    private void connect(Participant p) throws Exception {
        Rig rig = new Rig(p);
        BenchTransport t = generator.newTransport("limit-" + p.name());
        t.setWanted(Rig.mask(p, generator.trackCount()));
        rig.publisher = t;
        rig.subscriber = t;
        JsonNode allocated = json.readTree(signal.post("/endpoints", "{}"));
        rig.endpointId = allocated.path("endpointId").asText();
        byParticipant.put(p.id(), rig);
        String offer = LocalDescriptions.offer(t.identity(), rig.publishLines(generator, t, tracks, true));
        RemoteDescription answer = RemoteDescription.parse(signal.post("/endpoints/" + rig.endpointId + "/offer", offer));
        generator.connect(t, answer, answer.candidateOn(launch.serverAddress()), true, CONNECT_TIMEOUT_MS);
    }

    @Override
    public String counters() {
        try {
            return signal.get("/stats", java.time.Duration.ofSeconds(5));
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process != null) process.close();
    }
}
