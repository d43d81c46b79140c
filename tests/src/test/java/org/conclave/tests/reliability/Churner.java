package org.conclave.tests.reliability;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.sctp.DataChannel;
import org.conclave.tests.call.MatrixCall;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.client.AudioSender;
import org.conclave.tests.client.ControlClient;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.client.SimulcastSender;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * One participant who keeps joining and leaving: calls one of the conferences through Matrix (a {@link JavaPeer}
 * sending audio and two simulcast layers, with a control data channel), then every 1-3 s mutes or unmutes, switches a
 * remote video between thumbnail and full-res, or opens and closes a data channel, and after a few of those hangs up
 * (m.call.hangup) or simply goes silent (no hangup, no DTLS close: the SFU finds out by ICE consent). Counts what it
 * did in {@link Counts}. Runs on its own thread until {@link #stop}.
 */
final class Churner implements Runnable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern VIDEO_MSID = Pattern.compile("a=msid:(\\S+) (\\S+)");

    /** What all churners did, for the report. */
    static final class Counts {
        final AtomicLong joins = new AtomicLong();
        final AtomicLong failedJoins = new AtomicLong();
        final AtomicLong hangups = new AtomicLong();
        final AtomicLong vanished = new AtomicLong();
        final AtomicLong mutes = new AtomicLong();
        final AtomicLong layerChanges = new AtomicLong();
        final AtomicLong channelsOpenedAndClosed = new AtomicLong();

        @Override
        public String toString() {
            return joins + " joins (" + failedJoins + " failed), " + hangups + " hang-ups, " + vanished
                    + " abrupt leaves (silence), " + mutes + " mute changes, " + layerChanges + " layer changes, "
                    + channelsOpenedAndClosed + " data channels opened and closed";
        }
    }

    /** One call of this churner. */
    private final class Session {
        final JavaPeer peer = new JavaPeer().simulcast("lo", "hi");
        final ControlClient dc;
        final MatrixCall call;
        final FirstPackets stayers = new FirstPackets();
        final Visits.Visit visit;
        AudioSender audio;
        SimulcastSender video;
        int number;
        volatile String lastOffer = "";
        boolean muted;

        Session(String room) throws Exception {
            peer.keepPackets = false;
            peer.rtpWatch = stayers;
            dc = new ControlClient(peer, name);
            visit = visits.begin(peer.streamId, room, name);
            call = bridge.open(user, "CHURN_" + name.toUpperCase(java.util.Locale.ROOT), room, new EndpointListener() {
                @Override
                public void onOffer(String endpointId, String sdpOffer) {
                    lastOffer = sdpOffer;
                    visits.visitorOffer(visit, sdpOffer, stayers);
                    if (!call().ended()) call().answer(peer.answerTo(sdpOffer));
                }
            });
        }

        MatrixCall call() {
            return call;
        }

        void start() throws Exception {
            String answer = call.offer(peer.offer()).toCompletableFuture()
                    .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            peer.connect(answer);
            dc.open(CONNECT_TIMEOUT);
            audio = new AudioSender(peer);
            video = new SimulcastSender(peer, List.of(new SimulcastSender.Layer("lo", 0, 100_000, 15, 320, 180),
                    new SimulcastSender.Layer("hi", 1, 300_000, 15, 1280, 720)), 5_000, true);
            visits.mediaStarted(visit, number);
        }

        void leave(boolean abruptly) {
            if (video != null) video.close();
            if (audio != null) audio.close();
            if (abruptly) {
                peer.vanish();
                dc.close();
            } else {
                call.hangup("user_hangup");
                dc.close();
                peer.close();
            }
        }
    }

    private final String name;
    private final ScriptedClient user;
    private final MatrixCallBridge bridge;
    private final List<String> rooms;
    private final Random random;
    private final Counts counts;
    private final Visits visits;
    private final Thread thread;
    private volatile boolean stopping;

    Churner(String name, ScriptedClient user, MatrixCallBridge bridge, List<String> rooms, long seed, Counts counts,
            Visits visits) {
        this.name = name;
        this.user = user;
        this.bridge = bridge;
        this.rooms = List.copyOf(rooms);
        this.random = new Random(seed);
        this.counts = counts;
        this.visits = visits;
        this.thread = new Thread(this, "churner-" + name);
        thread.setDaemon(true);
    }

    Churner start() {
        thread.start();
        return this;
    }

    /** Stops after the current call, which it ends with a hang-up; returns once it has. */
    void stop() throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(90));
    }

    @Override
    public void run() {
        while (!stopping) {
            Session s = null;
            try {
                s = new Session(rooms.get(random.nextInt(rooms.size())));
                s.number = (int) counts.joins.incrementAndGet();
                s.start();
            } catch (Exception | AssertionError e) {
                if (s != null) visits.abandon(s.visit);
                // e.g. "SCTP never came up" (ControlClient): hang up and go on; a dead churner thread would leave its
                // call up (the peer keeps answering consent checks), one endpoint the drain then finds left over
                counts.failedJoins.incrementAndGet();
                System.out.println("soak: " + name + "'s join #" + (s == null ? "?" : s.number) + " failed: " + e);
                try {
                    if (s != null) s.leave(false);
                } catch (Exception | AssertionError ignored) {
                    // already ended
                }
                pause(2000, 4000);
                continue;
            }
            visits.check(s.visit); // before any mute: the stayers must have decrypted it by then
            int actions = 2 + random.nextInt(4);
            for (int i = 0; i < actions && !stopping; i++) {
                pause(1000, 3000);
                if (!stopping) act(s);
            }
            boolean abruptly = !stopping && random.nextInt(3) == 0;
            s.leave(abruptly);
            (abruptly ? counts.vanished : counts.hangups).incrementAndGet();
            pause(1000, 3000);
        }
    }

    private void act(Session s) {
        try {
            switch (random.nextInt(3)) {
                case 0 -> {
                    s.muted = !s.muted;
                    s.call.metadata(new JsonObject().put(s.peer.streamId, new JsonObject()
                            .put("purpose", "m.usermedia").put("audio_muted", s.muted).put("video_muted", false)));
                    counts.mutes.incrementAndGet();
                }
                case 1 -> {
                    List<String[]> videos = remoteVideos(s.lastOffer);
                    if (videos.isEmpty()) return;
                    String[] v = videos.get(random.nextInt(videos.size()));
                    boolean big = random.nextBoolean();
                    s.dc.send("m.call.track_subscription", Map.of("subscribe", List.of(Map.of("stream_id", v[0],
                            "track_id", v[1], "width", big ? 1280 : 320, "height", big ? 720 : 180))));
                    counts.layerChanges.incrementAndGet();
                }
                default -> {
                    DataChannel extra = s.dc.openChannel("extra", CONNECT_TIMEOUT);
                    s.dc.send("m.call.ping", Map.of("n", 1));
                    s.dc.closeChannel(extra);
                    counts.channelsOpenedAndClosed.incrementAndGet();
                }
            }
        } catch (Exception | AssertionError e) {
            // The call may have ended under it (the bot hung up): the next join starts afresh.
        }
    }

    /** (stream id, track id) of each video the SFU sends this session, from its latest offer. */
    private static List<String[]> remoteVideos(String offer) {
        List<String[]> out = new ArrayList<>();
        for (String section : offer.split("(?=\r?\nm=)")) {
            if (!section.contains("m=video") || !section.contains("a=sendonly")) continue;
            Matcher m = VIDEO_MSID.matcher(section);
            if (m.find()) out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    /** A person's pace between actions, not a wait for an event. */
    private void pause(int minMs, int maxMs) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(minMs + random.nextInt(maxMs - minMs));
        for (long left; !stopping && (left = until - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
    }
}
