package org.conclave.tests.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.conclave.sfu.control.Role;
import org.conclave.tests.client.AudioSender;
import org.conclave.tests.client.ControlClient;
import org.conclave.tests.client.JavaPeer;

/**
 * One conference of JavaPeers, each with a control data channel ({@link ControlClient}) and optionally a microphone
 * ({@link AudioSender}); helpers that judge media by the tagged audio each peer receives from each other peer.
 */
final class ControlRig implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Packets that prove audio flows (20 ms each: ~0.4 s of audio). */
    static final long FLOWING = 20;
    /** How long a count must stand still to say it stopped, and the window it must then stay still over. */
    static final Duration SETTLE = Duration.ofMillis(300);
    static final Duration QUIET_WINDOW = Duration.ofMillis(1500);

    /** A participant: its endpoint (via JavaRig), control channel and microphone (or null). */
    record Party(String name, JavaRig.Member member, ControlClient dc, AudioSender mic) {
        String id() {
            return member.endpointId;
        }

        JavaPeer peer() {
            return member.peer;
        }
    }

    final SfuFixture f;
    final String conference;
    private final List<AutoCloseable> closing = new ArrayList<>();

    ControlRig(SfuFixture f, String conference) {
        this.f = f;
        this.conference = conference;
    }

    /** Joins a peer with a control channel; with {@code audio} it sends tagged audio from then on. */
    Party join(String name, Role role, boolean audio) throws Exception {
        return join(name, role, audio, new JavaPeer());
    }

    Party join(String name, Role role, boolean audio, JavaPeer peer) throws Exception {
        Party p = joinWithoutChannel(name, role, peer);
        p.dc().open(TIMEOUT);
        if (!audio) return p;
        AudioSender mic = new AudioSender(peer);
        closing.add(0, mic);
        return new Party(name, p.member(), p.dc(), mic);
    }

    /** Joins (media connecting) with a control client whose channel the caller opens when it likes. */
    Party joinWithoutChannel(String name, Role role, JavaPeer peer) throws Exception {
        peer.keepPackets = false;
        closing.add(peer);
        ControlClient dc = new ControlClient(peer, name);
        closing.add(0, dc);
        JavaRig.Member m = JavaRig.join(f.sfu.control(), conference, "@" + name + ":example.org", role, peer, null);
        return new Party(name, m, dc, null);
    }

    /** Waits until {@code to} has received at least {@link #FLOWING} more packets from {@code from}. */
    static boolean flows(Party from, Party to) throws InterruptedException {
        long before = to.peer().audioPacketsFrom(from.peer());
        return JavaRig.await(() -> to.peer().audioPacketsFrom(from.peer()) - before >= FLOWING, TIMEOUT);
    }

    /** A measured silence: how many packets arrived over the window while the sender sent {@code sent}. */
    record Silence(long before, long after, long sentDuring) {
        long grew() {
            return after - before;
        }
    }

    /**
     * Waits (up to the timeout) for {@code count} to stand still for {@link #SETTLE} (packets in flight land), then
     * measures it over {@link #QUIET_WINDOW} while {@code sent} keeps growing.
     */
    static Silence silence(LongSupplier count, LongSupplier sent) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long last = count.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < SETTLE.toNanos() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
            long now = count.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        long before = count.getAsLong();
        long sentBefore = sent.getAsLong();
        long end = System.nanoTime() + QUIET_WINDOW.toNanos();
        while (System.nanoTime() < end) TimeUnit.MILLISECONDS.sleep(20); // the measuring window itself
        return new Silence(before, count.getAsLong(), sent.getAsLong() - sentBefore);
    }

    /** Silence of {@code from}'s audio at {@code to}. */
    static Silence silence(Party from, Party to) throws InterruptedException {
        return silence(() -> to.peer().audioPacketsFrom(from.peer()), from.mic()::sent);
    }

    static Map<String, Object> target(Party p) {
        return Map.of("endpoint_id", p.id());
    }

    int endpointCount() throws Exception {
        return f.sfu.conferences().endpointCount().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing) c.close();
    }
}
