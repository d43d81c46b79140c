package org.conclave.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.client.LocalDescriptions;
import org.conclave.bench.client.RemoteDescription;
import org.conclave.bench.load.Generator;
import org.conclave.bench.scenario.Participant;
import org.conclave.bench.scenario.Track;

/**
 * Janus videoroom (Debian's janus), driven through its HTTP API like its own JavaScript client does: per participant
 * a publisher handle (our offer, Janus answers) and a subscriber handle (Janus offers the streams asked for, we
 * answer; later streams via "update"). Rooms require E2EE (payloads are opaque to Janus, as ours are to our SFU).
 * Janus skips loopback interfaces for ICE, so it needs a non-loopback server address (a veth in a namespace).
 */
public final class JanusTarget implements Target {
    static final long READY_TIMEOUT_MS = 20_000;
    static final long CONNECT_TIMEOUT_MS = 20_000;
    static final long WEBRTC_UP_TIMEOUT_MS = 20_000;
    static final int MAX_PUBLISHERS_PER_ROOM = 1000;
    static final long FIRST_ROOM = 1000;

    private final Launch launch;
    private final String binary;
    private final Path templates;
    private final Map<Integer, Rig> byParticipant = new ConcurrentHashMap<>();
    private final Map<Integer, Long> publisherHandles = new ConcurrentHashMap<>();
    private final Map<Integer, Long> subscriberHandles = new ConcurrentHashMap<>();
    private final Map<String, Long> rooms = new ConcurrentHashMap<>();
    private ServerProcess process;
    private JanusApi api;
    private Generator generator;
    private long adminHandle;

    /** @param templates the folder of Janus configuration templates (bench/janus) */
    public JanusTarget(Launch launch, String binary, Path templates) {
        this.launch = launch;
        this.binary = binary;
        this.templates = templates;
    }

    /** "1.1.2" from the binary's banner, or "unknown". */
    public static String version(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(5, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Janus version: \\d+ \\(([^)]+)\\)").matcher(out);
            return m.find() ? m.group(1) : "unknown";
        } catch (Exception e) {
            return "not installed";
        }
    }

    @Override
    public String name() {
        return "janus";
    }

    @Override
    public String description() {
        return "Janus " + version(binary) + " videoroom, HTTP transport, default threading (a loop per handle)";
    }

    @Override
    public void start(Generator generator) throws Exception {
        if (launch.serverAddress().isLoopbackAddress()) {
            throw new IOException("Janus ignores loopback interfaces for ICE: run with --netns and a veth address");
        }
        this.generator = generator;
        Path dir = launch.workDir().resolve("janus");
        Path config = JanusConfig.write(templates, dir, launch.serverAddress().getHostAddress());
        process = ServerProcess.start(List.of(binary, "-F", dir.toString(), "-C", config.toString()), launch.netns(),
                launch.workDir().resolve("janus.log"));
        api = new JanusApi("http://" + launch.serverAddress().getHostAddress() + ":" + JanusConfig.HTTP_PORT);
        api.awaitUp(READY_TIMEOUT_MS);
        api.createSession();
        adminHandle = api.attach();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void join(List<Participant> joining, List<Participant> everyone) throws Exception {
        for (Participant p : joining) {
            if (!rooms.containsKey(p.room())) createRoom(p.room());
            byParticipant.put(p.id(), new Rig(p));
        }
        Parallel.forEach(joining.stream().filter(p -> !p.publishes().isEmpty()).toList(), this::publish);
        Parallel.forEach(everyone, p -> subscribe(p, everyone));
        if (api.failure() != null) throw new IOException(api.failure());
    }

    private void createRoom(String name) throws Exception {
        long id = FIRST_ROOM + rooms.size();
        ObjectNode body = api.object();
        body.put("request", "create").put("room", id).put("publishers", MAX_PUBLISHERS_PER_ROOM)
                .put("require_e2ee", true).put("audiocodec", "opus").put("videocodec", "vp8").put("bitrate", 0)
                .put("fir_freq", 0).put("notify_joining", false).put("permanent", false);
        JsonNode created = api.syncMessage(adminHandle, body);
        if (!created.path("videoroom").asText().equals("created")) throw new IOException("room not created: " + created);
        rooms.put(name, id);
    }

    /** Publisher handle: joinandconfigure with our offer, Janus answers; we are the controlling ICE agent. */
    private void publish(Participant p) throws Exception {
        Rig rig = byParticipant.get(p.id());
        BenchTransport t = generator.newTransport("janus-pub-" + p.name());
        rig.publisher = t;
        long handle = api.attach();
        publisherHandles.put(p.id(), handle);
        String offer = LocalDescriptions.offer(t.identity(), rig.publishLines(generator, t, List.of(), false));
        ObjectNode body = api.object();
        body.put("request", "joinandconfigure").put("ptype", "publisher").put("room", rooms.get(p.room()))
                .put("id", feed(p.id())).put("display", p.name());
        ObjectNode jsep = api.object();
        jsep.put("type", "offer").put("sdp", offer).put("e2ee", true);
        JsonNode event = api.asyncMessage(handle, body, jsep);
        RemoteDescription answer = RemoteDescription.parse(event.path("jsep").path("sdp").asText());
        generator.connect(t, answer, answer.candidateOn(launch.serverAddress()), true, CONNECT_TIMEOUT_MS);
        api.webrtcUp(handle).get(WEBRTC_UP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Subscriber handle: join with the streams wanted, later "update" for new ones; Janus offers, we answer. */
    private void subscribe(Participant p, List<Participant> everyone) throws Exception {
        Rig rig = byParticipant.get(p.id());
        Set<Integer> needed = Rig.available(p, everyone);
        needed.removeAll(rig.receiving);
        if (needed.isEmpty()) return;
        ArrayNode streams = api.object().arrayNode();
        for (int track : needed) {
            Track t = generator.outgoing(track).track();
            streams.addObject().put("feed", feed(t.owner())).put("mid", t.mid());
        }
        Long handle = subscriberHandles.get(p.id());
        ObjectNode body = api.object();
        JsonNode event;
        boolean first = handle == null;
        if (first) {
            handle = api.attach();
            subscriberHandles.put(p.id(), handle);
            body.put("request", "join").put("ptype", "subscriber").put("room", rooms.get(p.room()))
                    .put("use_msid", false).set("streams", streams);
            rig.subscriber = generator.newTransport("janus-sub-" + p.name());
            rig.subscriber.setWanted(Rig.mask(p, generator.trackCount()));
        } else {
            body.put("request", "update").set("subscribe", streams);
        }
        event = api.asyncMessage(handle, body, null);
        String offerSdp = event.path("jsep").path("sdp").asText(null);
        if (offerSdp == null) throw new IOException("Janus sent no offer for " + p.name() + ": " + event);
        RemoteDescription offer = RemoteDescription.parse(offerSdp);
        long version = rig.receivingVersion + 1;
        String answer = LocalDescriptions.answer(offer, rig.subscriber.identity(), s -> true, version);
        ObjectNode start = api.object();
        start.put("request", "start");
        ObjectNode jsep = api.object();
        jsep.put("type", "answer").put("sdp", answer);
        api.asyncMessage(handle, start, jsep);
        if (first) {
            api.trickleCompleted(handle);
            generator.connect(rig.subscriber, offer, offer.candidateOn(launch.serverAddress()), false, CONNECT_TIMEOUT_MS);
            api.webrtcUp(handle).get(WEBRTC_UP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        rig.receivingVersion = version;
        rig.receiving.addAll(needed);
    }

    private static long feed(int participant) {
        return participant + 1L;
    }

    @Override
    public void close() {
        if (api != null) api.close();
        if (process != null) process.close();
    }
}
