package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.tests.call.MatrixCall;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.harness.AudioWindow;
import org.conclave.tests.harness.Latencies;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * The people a flood must not hurt: alice and bob talking in a conference, carol placing calls into it. Measures what
 * they get — audio both ways and carol's call set-up (invite to answer) — quiet, then during the flood.
 */
final class Bystanders implements AutoCloseable {
    static final EndpointListener IGNORE = new EndpointListener() { };

    private final OpsRig rig;
    private final ScriptedClient carol;
    private final String room;
    private final String offer;
    private final String streamId;
    final Caller alice;
    final Caller bob;
    final Latencies quiet = new Latencies();
    final Latencies during = new Latencies();
    private AudioWindow quietAudio;
    private AudioWindow toBob;
    private AudioWindow toAlice;
    private int callsDuring;
    private final List<Probe> probes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Connects alice and bob (in {@code room}, the conference) until each hears the other; carol needs a DM. */
    Bystanders(OpsRig rig, String room, ScriptedClient alice, ScriptedClient bob, ScriptedClient carol)
            throws Exception {
        this.rig = rig;
        this.room = room;
        this.carol = carol;
        try (JavaPeer peer = new JavaPeer()) {
            offer = peer.offer();
            streamId = peer.streamId;
        }
        this.alice = new Caller(rig.bridge, alice, room).connect();
        this.bob = new Caller(rig.bridge, bob, room).connect();
        OpsRig.await("audio both ways", OpsRig.TIMEOUT,
                () -> this.alice.audioFrom(this.bob) > 25 && this.bob.audioFrom(this.alice) > 25);
    }

    /** Carol's {@code calls} set-ups with nothing else going on, and alice's audio meanwhile. */
    Bystanders measureQuiet(int calls) throws Exception {
        quietAudio = audio(alice, bob).start();
        for (int i = 0; i < calls; i++) quiet.addNanos(probe(carol, "quiet" + i));
        quietAudio.stop();
        return this;
    }

    /** Starts the audio windows of the flood; then {@link #callDuring}, then {@link #stopAudio} once it is over. */
    void startAudio() {
        toBob = audio(alice, bob).start();
        toAlice = audio(bob, alice).start();
    }

    /** Carol's {@code calls} set-ups now. */
    void callDuring(int calls) throws Exception {
        callsDuring += calls;
        for (int i = 0; i < calls; i++) during.addNanos(probe(carol, "during" + i));
    }

    /**
     * Every call of carol's answered, their median within 4x the quiet one's (or {@code floorMs}, what a loaded
     * machine may take anyway), and under 2% of the audio lost each way.
     */
    void assertUnhurt(long floorMs) {
        String seen = figures();
        assertThat(during.count()).as("every call of the other member answered: %s", seen).isEqualTo(callsDuring);
        assertThat(during.percentile(50)).as("another member's call set-up during the flood (p50 ms): %s", seen)
                .isLessThan(Math.max(floorMs, 4 * quiet.percentile(50)));
        assertThat(toBob.lossRatio()).as("audio alice->bob during the flood: %s", seen).isLessThan(0.02);
        assertThat(toAlice.lossRatio()).as("audio bob->alice during the flood: %s", seen).isLessThan(0.02);
    }

    void stopAudio() {
        toBob.stop();
        toAlice.stop();
    }

    AudioWindow quietAudio() {
        return quietAudio;
    }

    AudioWindow aliceToBob() {
        return toBob;
    }

    AudioWindow bobToAlice() {
        return toAlice;
    }

    /** A call of {@code who}'s (own msid stream {@code tag}), hung up once answered: its invite-to-answer time. */
    long probe(ScriptedClient who, String tag) throws Exception {
        String localpart = who.userId().substring(1, who.userId().indexOf(':'));
        String device = "DEV_" + localpart.toUpperCase(java.util.Locale.ROOT);
        MatrixCall call = rig.bridge.open(who, device, room, IGNORE);
        long start = System.nanoTime();
        call.offer(offer(tag)).toCompletableFuture().get(OpsRig.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        call.hangup("user_hangup");
        probes.add(new Probe(start, end, call.callId(), call.dmRoom()));
        return end - start;
    }

    /**
     * Where the slowest call of all went (after the flood, every transaction delivered): how long its invite waited in
     * the homeserver's queue for earlier transactions to be acknowledged (and how many, the longest of them), how
     * long its own transaction took, and when the answer came after it was sent.
     */
    String slowest() {
        Probe p = probes.stream().max(java.util.Comparator.comparingLong(Probe::took)).orElseThrow();
        String inviteId = rig.hs.timeline(p.dm).stream()
                .filter(e -> e.getString("type").equals("m.call.invite")
                        && p.callId.equals(e.getJsonObject("content").getString("call_id")))
                .map(e -> e.getString("event_id")).findFirst().orElse("?");
        List<AppservicePusher.Delivery> all = rig.hs.pusher().deliveries();
        AppservicePusher.Delivery own = all.stream().filter(d -> d.status() == 200 && d.eventIds().contains(inviteId))
                .findFirst().orElse(null);
        if (own == null) {
            return String.format("slowest call %d ms: its invite %s was never delivered", ms(p.took()), inviteId);
        }
        List<AppservicePusher.Delivery> before = all.stream()
                .filter(d -> d.answeredNanos() > p.start && d.sentNanos() < own.sentNanos()).toList();
        String longest = before.stream().max(Comparator.comparingLong(AppservicePusher.Delivery::nanos))
                .map(d -> Acks.of(d, rig.answered)).orElse("none");
        return String.format("slowest call %d ms: its invite waited %d ms in the homeserver's queue while %d"
                + " transactions were answered (the longest in %s), its own transaction was answered in %s, the"
                + " call's answer came %d ms after that transaction was sent; %s", ms(p.took()),
                ms(own.sentNanos() - p.start), before.size(), longest, Acks.of(own, rig.answered),
                ms(p.end - own.sentNanos()), Acks.summary(all, rig.answered));
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private record Probe(long start, long end, String callId, String dm) {
        long took() {
            return end - start;
        }
    }

    /** The same offer under another msid stream (the SFU refuses a stream another participant publishes). */
    String offer(String tag) {
        return offer.replace(streamId, tag);
    }

    /** One line for the printed figures. */
    String figures() {
        return String.format("another member's call set-up quiet %s, during %s (%s; %s); audio alice->bob quiet %s,"
                + " during %s; bob->alice during %s", quiet, during, slowest(), phases(), quietAudio, toBob, toAlice);
    }

    private String phases() {
        try {
            return Acks.phases(rig.scrape());
        } catch (Exception e) {
            return "no scrape of the appservice's phases: " + e;
        }
    }

    private static AudioWindow audio(Caller from, Caller to) {
        return new AudioWindow(from::audioSent, () -> to.audioFrom(from));
    }

    @Override
    public void close() throws Exception {
        try (Caller a = alice; Caller b = bob) {
            // both hang up
        }
    }
}
