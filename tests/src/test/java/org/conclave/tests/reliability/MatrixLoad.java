package org.conclave.tests.reliability;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.client.LocalDescriptions;
import org.conclave.bench.client.MediaLine;
import org.conclave.bench.client.RemoteDescription;
import org.conclave.bench.load.Generator;
import org.conclave.bench.load.MediaProfile;
import org.conclave.bench.load.Measured;
import org.conclave.bench.load.OutgoingTrack;
import org.conclave.bench.load.Span;
import org.conclave.bench.scenario.Participant;
import org.conclave.bench.scenario.Scenario;
import org.conclave.bench.scenario.Scenarios;
import org.conclave.bench.scenario.Track;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.dtls.DtlsSettings;
import org.conclave.tests.call.MatrixCall;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * The benchmark's load (docs/benchmarks.md, scenario "rooms": rooms of four, everyone sending audio, thumbnail and
 * full-res and receiving the others' audio and full-res) placed as Matrix calls through the homeserver double and the
 * real appservice instead of the benchmark's plain HTTP signalling: each participant calls the bot from its DM and
 * answers the bot's re-offers, accepting what it wants. Its loss is measured per window as the benchmark does.
 *
 * <p>The participants stay while the soak's visitors come and go: they also receive every visitor's audio and video,
 * report the first packet of each they decrypt to {@link Visits} (see {@link #checkVisits}), and forget a visitor's
 * SRTP streams once its line turns inactive, as a browser does.
 */
final class MatrixLoad implements AutoCloseable {
    static final long CONNECT_TIMEOUT_MS = 30_000;
    static final long SETTLE_TIMEOUT_MS = 120_000;

    /** One load participant's call. */
    private static final class Member {
        final Participant participant;
        final BenchTransport transport;
        MatrixCall call;
        final Set<Integer> receiving = new HashSet<>();
        /** Sees the visitors' packets this participant decrypts (the soak's {@link Visits} check). */
        final FirstPackets visitors = new FirstPackets();
        /** SSRCs of the visitors' lines the last answer received on, forgotten when their line goes. */
        Set<Integer> visitorSsrcs = new HashSet<>();
        long version = 1;

        Member(Participant participant, BenchTransport transport) {
            this.participant = participant;
            this.transport = transport;
        }
    }

    private final Scenario scenario;
    private final Generator generator;
    private final MatrixCallBridge bridge;
    private volatile Visits visits;
    private final Map<Integer, Member> members = new HashMap<>();
    private volatile String failure;

    MatrixLoad(int rooms, MatrixCallBridge bridge) throws Exception {
        this.scenario = Scenarios.smallRooms(new int[] {rooms});
        this.bridge = bridge;
        this.generator = new Generator(InetAddress.getLoopbackAddress(), MediaProfile.DEFAULT, DtlsSettings.DEFAULT,
                scenario.tracks().size(), 2, 2);
    }

    List<Participant> participants() {
        return scenario.steps().get(0).joining();
    }

    /** From now on the participants' receivers report the visitors they decrypt to {@code v}. */
    void checkVisits(Visits v) {
        visits = v;
    }

    /** The benchmark's room names ("room-0"...) the participants join. */
    Set<String> rooms() {
        Set<String> rooms = new java.util.LinkedHashSet<>();
        participants().forEach(p -> rooms.add(p.room()));
        return rooms;
    }

    /** Packets per second the SFU sends out at this load (what the benchmark's knee is counted in). */
    double outPacketsPerSecond() {
        double pps = 0;
        for (Participant p : participants()) {
            for (int w : p.wants()) pps += generator.profile().packetsPerSecond(scenario.track(w).kind());
        }
        return pps;
    }

    /**
     * Everyone calls, one room member at a time (each waits until the room's earlier members receive what they want,
     * as the benchmark joins); then media starts.
     *
     * @param conferenceRoom the Matrix room of a benchmark room name
     * @param user the Matrix user of a participant
     */
    void join(Function<String, String> conferenceRoom, Function<Participant, ScriptedClient> user) throws Exception {
        List<Participant> present = new ArrayList<>();
        for (Participant p : participants()) {
            connect(p, conferenceRoom.apply(p.room()), user.apply(p));
            present.add(p);
            awaitReceiving(present.stream().filter(o -> o.room().equals(p.room())).toList());
        }
        List<Track> tracks = new ArrayList<>();
        participants().forEach(p -> tracks.addAll(p.publishes()));
        generator.activate(tracks);
    }

    private void connect(Participant p, String room, ScriptedClient user) throws Exception {
        BenchTransport t = generator.newTransport("soak-" + p.name());
        boolean[] wanted = new boolean[scenario.tracks().size()];
        for (int w : p.wants()) wanted[w] = true;
        t.setWanted(wanted);
        Member m = new Member(p, t);
        t.watch(m.visitors);
        synchronized (members) {
            members.put(p.id(), m);
        }
        List<MediaLine> lines = new ArrayList<>();
        for (Track tr : p.publishes()) {
            OutgoingTrack o = generator.prepare(tr, t);
            lines.add(new MediaLine(tr.kind().isAudio(), tr.mid(), true, o.ssrc(), p.name(), "t" + tr.index()));
        }
        m.call = bridge.open(user, "LOAD" + p.id(), room, new EndpointListener() {
            @Override
            public void onOffer(String endpointId, String sdpOffer) {
                answer(m, sdpOffer);
            }

            @Override
            public void onClosed(String endpointId) {
                if (!m.call.ended() || m.call.endedBy().startsWith("bot")) {
                    failure = p.name() + "'s call ended: " + m.call.endedBy();
                }
            }
        });
        String answer = m.call.offer(LocalDescriptions.offer(t.identity(), lines)).toCompletableFuture()
                .get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        RemoteDescription remote = RemoteDescription.parse(answer);
        generator.connect(t, remote, remote.candidateOn(InetAddress.getLoopbackAddress()), true, CONNECT_TIMEOUT_MS);
    }

    /** Accepts its own m-lines and the tracks it wants ("t<index>"), declines the rest. */
    private void answer(Member m, String sdpOffer) {
        try {
            RemoteDescription offer = RemoteDescription.parse(sdpOffer);
            Set<String> own = new HashSet<>();
            for (Track tr : m.participant.publishes()) own.add(tr.mid());
            Map<String, Visits.Line> visitorLines = new HashMap<>();
            for (Visits.Line l : Visits.sendingLines(offer)) {
                if (trackIndex(l.trackId()) < 0) visitorLines.put(l.streamId() + " " + l.trackId(), l);
            }
            List<Integer> accepted = new ArrayList<>();
            long version;
            synchronized (m) {
                version = ++m.version;
            }
            String answer = LocalDescriptions.answer(offer, m.transport.identity(), s -> {
                if (own.contains(s.mid())) return true;
                int track = trackIndex(s.trackId());
                boolean take = s.remoteSends() && track >= 0 && m.transport.wants(track);
                if (take) accepted.add(track);
                return take || s.remoteSends() && track < 0 && s.trackId() != null; // a visitor: audio and video
            }, version, true); // like a browser: lines it does not want are idle, not rejected
            watchVisitors(m, visitorLines.values());
            m.call.answer(answer);
            synchronized (m) {
                m.receiving.clear();
                m.receiving.addAll(accepted);
                m.notifyAll();
            }
        } catch (RuntimeException e) {
            failure = "answering " + m.participant.name() + "'s re-offer failed: " + e;
        }
    }

    /**
     * Watches the visitors' sources this answer receives (before it goes out, so no first packet is missed) and
     * forgets the SRTP streams of those gone, as a browser does when a line turns inactive.
     */
    private void watchVisitors(Member m, Iterable<Visits.Line> lines) {
        Visits v = visits;
        synchronized (m) {
            Set<Integer> now = new HashSet<>();
            for (Visits.Line l : lines) {
                now.addAll(l.ssrcs());
                if (m.visitorSsrcs.contains(l.ssrc())) continue;
                FirstPackets.Slot slot = m.visitors.watch(l.ssrc());
                if (v != null) v.stayerWatches(l.streamId(), m.participant.name(), l.kind(), slot);
            }
            for (int gone : m.visitorSsrcs) {
                if (now.contains(gone)) continue;
                m.visitors.unwatch(gone);
                m.transport.forgetInbound(gone);
            }
            m.visitorSsrcs = now;
        }
    }

    private void awaitReceiving(List<Participant> present) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
        Set<Integer> published = new HashSet<>();
        present.forEach(p -> p.publishes().forEach(t -> published.add(t.index())));
        for (Participant p : present) {
            Member m;
            synchronized (members) {
                m = members.get(p.id());
            }
            Set<Integer> needed = new HashSet<>();
            for (int w : p.wants()) if (published.contains(w)) needed.add(w);
            synchronized (m) {
                while (!m.receiving.containsAll(needed)) {
                    if (failure != null) throw new IllegalStateException(failure);
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) throw new IllegalStateException(p.name() + " never received " + needed);
                    m.wait(Math.min(left, 500));
                }
            }
        }
    }

    /** Why a load call broke (the bot hung up on it, an answer failed), or null. */
    String failure() {
        return failure;
    }

    /** Opens a measuring window now; {@link #closeWindow} ends it. */
    void openWindow(long endNanos) {
        generator.open(new Span(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), endNanos));
    }

    /** Ends the window and returns its loss: the share of the window's packets the receivers that want them lacked. */
    double closeWindow() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(500); // the window's last packets in flight
        generator.closeWindow();
        Measured m = generator.collect();
        long expected = 0;
        long received = 0;
        int[] receivers = new int[scenario.tracks().size()];
        for (Participant p : participants()) for (int w : p.wants()) receivers[w]++;
        for (int i = 0; i < receivers.length; i++) {
            expected += m.sent[i] * receivers[i];
            received += Math.min(m.received[i], m.sent[i] * receivers[i]);
        }
        return expected == 0 ? 1.0 : 1.0 - received / (double) expected;
    }

    private static int trackIndex(String trackId) {
        if (trackId == null || trackId.length() < 2 || trackId.charAt(0) != 't') return -1;
        try {
            return Integer.parseInt(trackId.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        synchronized (members) {
            for (Member m : members.values()) {
                if (m.call != null && !m.call.ended()) m.call.hangup("user_hangup");
            }
        }
        generator.close();
    }
}
