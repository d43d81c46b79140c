package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 (floods): STUN binding requests and DTLS ClientHellos from many source ports — unknown ufrags, a real
 * endpoint's ufrag with a wrong password, ClientHellos without an ICE check, and ClientHellos from an address that
 * passed ICE — are dropped cheaply and counted (over {@code handshake_packets_per_second} per endpoint), while real
 * participants keep receiving media and new ones join in their normal time.
 */
class HandshakeFloodTest {
    static final int SOURCE_PORTS = 32;
    static final Duration FLOOD = Duration.ofSeconds(6);
    static final int JOINS_DURING_FLOOD = 3;
    /** A join (allocate, offer/answer, ICE, DTLS) on loopback takes well under a second; 5 s is a failed join. */
    static final Duration MAX_JOIN = Duration.ofSeconds(5);

    @Test
    void floodsAreDroppedAndCountedWhileRealJoinsSucceed() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        try (SfuFixture f = SfuFixture.start()) {
            JavaRig.startSimulcastSender(f.sfu.control(), "calm", 100_000, 300_000, false, closing);
            JavaRig.Member viewer = join(f, "calm", "viewer", closing);
            long baselineMs = joinMillis(f, "calm", "baseline", closing);
            assertThat(JavaRig.await(() -> JavaRig.videoBytes(viewer) > 0, Duration.ofSeconds(10))).isTrue();

            // The attacker: a real endpoint whose address passes ICE, then floods ClientHellos from it.
            String attackerAnswer = f.sfu.control().applyOffer(f.sfu.control().allocate(
                    new AllocateRequest("attack", "attacker", Role.GUEST), new EndpointListener() {})
                    .toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId(), HostileInputTest.OFFER)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            String ufrag = find(attackerAnswer, "a=ice-ufrag:(\\S+)");
            InetSocketAddress attackerPort = new InetSocketAddress("127.0.0.1",
                    Integer.parseInt(find(attackerAnswer, "a=candidate:\\S+ \\d+ udp \\d+ \\S+ (\\d+) typ host")));
            WorkerStats stats = f.sfu.packetStats();
            Flood flood = new Flood(f.sfu.boundAddresses(), attackerPort, ufrag,
                    find(attackerAnswer, "a=ice-pwd:(\\S+)"));
            long received0 = stats.datagramsReceived();
            long viewerBytes0 = JavaRig.videoBytes(viewer);
            long[] frames0 = frames(viewer);
            Thread t = new Thread(flood, "flood");
            t.start();
            List<Long> floodJoinsMs = new ArrayList<>();
            try {
                for (int i = 0; i < JOINS_DURING_FLOOD; i++) floodJoinsMs.add(joinMillis(f, "calm", "late-" + i, closing));
                long until = System.nanoTime() + FLOOD.toNanos();
                while (System.nanoTime() < until && t.isAlive()) TimeUnit.MILLISECONDS.sleep(100);
            } finally {
                flood.stop.set(true);
                t.join(5_000);
            }
            long[] frames1 = frames(viewer);
            long framesDuring = frames1[0] - frames0[0];
            long completeDuring = frames1[1] - frames0[1];
            String seen = String.format("flood sent %d datagrams (%d ClientHellos from the validated address), SFU "
                    + "received %d; drops: stun_flood %d, dtls_flood %d, unauthenticated %d, stun_unknown_ufrag %d, "
                    + "stun_rejected %d; joins before %d ms, during %s ms; viewer got %d video bytes, %d of %d frames "
                    + "complete during the flood",
                    flood.sent.get(), flood.validatedHellos.get(), stats.datagramsReceived() - received0,
                    stats.stunFloodDrops(), stats.dtlsFloodDrops(), stats.unauthenticatedDrops(),
                    stats.stunUnknownUfrag(), stats.stunRejected(), baselineMs, floodJoinsMs,
                    JavaRig.videoBytes(viewer) - viewerBytes0, completeDuring, framesDuring);
            System.out.println("HandshakeFloodTest: " + seen);
            assertThat(flood.failure).as(seen).isNull();
            assertThat(flood.validated).as("the attacker's address passed ICE: %s", seen).isTrue();
            assertThat(stats.stunFloodDrops()).as(seen).isPositive();
            assertThat(stats.dtlsFloodDrops()).as(seen).isPositive();
            assertThat(stats.unauthenticatedDrops()).as(seen).isPositive();
            assertThat(stats.stunUnknownUfrag()).as(seen).isPositive();
            // The budget bounds the expensive work: at most one second's worth plus 100/s for each of the two kinds.
            long budget = 2 * 100 * (FLOOD.toSeconds() + 10);
            assertThat(stats.stunRejected()).as("HMACs computed for the flood: %s", seen).isLessThan(budget);
            assertThat(floodJoinsMs).as(seen).allMatch(ms -> ms < MAX_JOIN.toMillis());
            assertThat(JavaRig.videoBytes(viewer)).as("media kept flowing: %s", seen).isGreaterThan(viewerBytes0);
            // Loopback loses nothing on its own: the flood must not cost the viewer more than a frame in ten.
            assertThat(completeDuring * 10).as("the viewer's video stayed whole: %s", seen).isGreaterThanOrEqualTo(framesDuring * 9);
            assertThat(stats.internalErrors()).isZero();
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }

    private static JavaRig.Member join(SfuFixture f, String conference, String name, List<AutoCloseable> closing)
            throws Exception {
        JavaPeer p = new JavaPeer();
        p.keepPackets = false;
        closing.add(p);
        return JavaRig.join(f.sfu.control(), conference, name, p, null);
    }

    /** Video frames the member received so far, and how many of them complete: {frames, complete}. */
    private static long[] frames(JavaRig.Member m) {
        long frames = 0;
        long complete = 0;
        for (var s : m.peer.ledger.streams()) {
            frames += s.frames();
            complete += s.completeFrames();
        }
        return new long[] {frames, complete};
    }

    /** Time from allocation to a connected (ICE and DTLS done) endpoint. */
    private static long joinMillis(SfuFixture f, String conference, String name, List<AutoCloseable> closing)
            throws Exception {
        long t0 = System.nanoTime();
        join(f, conference, name, closing);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Round-robin over many source ports: the four kinds of flood datagram, as fast as one thread sends. */
    private static final class Flood implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong validatedHellos = new AtomicLong();
        volatile boolean validated;
        volatile Throwable failure;
        private final List<InetSocketAddress> ports;
        private final InetSocketAddress attackerPort;
        private final String ufrag;
        private final String pwd;

        Flood(List<InetSocketAddress> ports, InetSocketAddress attackerPort, String ufrag, String pwd) {
            this.ports = ports;
            this.attackerPort = attackerPort;
            this.ufrag = ufrag;
            this.pwd = pwd;
        }

        @Override
        public void run() {
            List<DatagramSocket> sockets = new ArrayList<>();
            try (DatagramSocket attacker = new DatagramSocket(0)) {
                for (int i = 0; i < SOURCE_PORTS; i++) sockets.add(new DatagramSocket(0));
                validated = passIce(attacker);
                Random random = new Random(16);
                byte[] tx = new byte[12];
                byte[] stun = new byte[512];
                byte[] hello = clientHello(random);
                javax.crypto.Mac wrong = StunMessages.integrityMac("wrongwrongwrongwrongwrong");
                for (long i = 0; !stop.get(); i++) {
                    DatagramSocket s = sockets.get((int) (i % SOURCE_PORTS));
                    InetSocketAddress to = ports.get((int) (i / SOURCE_PORTS % ports.size()));
                    random.nextBytes(tx);
                    int n = switch ((int) (i % 4)) {
                        case 0 -> StunMessages.writeBindingRequest(stun, 0, tx, 0, ufrag + ":clnt", 1, 2, true, wrong);
                        case 1 -> StunMessages.writeBindingRequest(stun, 0, tx, 0,
                                Long.toHexString(random.nextLong()) + ":clnt", 1, 2, true, wrong);
                        default -> -1;
                    };
                    if (n > 0) {
                        // The attacker endpoint's ufrag goes to its own thread's port.
                        s.send(new DatagramPacket(stun, n, i % 4 == 0 ? attackerPort : to));
                    } else if (i % 4 == 2) {
                        s.send(new DatagramPacket(hello, hello.length, to)); // no ICE check first
                    } else {
                        attacker.send(new DatagramPacket(hello, hello.length, attackerPort));
                        validatedHellos.incrementAndGet();
                    }
                    sent.incrementAndGet();
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                for (DatagramSocket s : sockets) s.close();
            }
        }

        /** A correct ICE check from the attacker's socket, answered: its address is the endpoint's now. */
        private boolean passIce(DatagramSocket attacker) throws Exception {
            byte[] stun = new byte[512];
            byte[] tx = new byte[12];
            new Random().nextBytes(tx);
            int n = StunMessages.writeBindingRequest(stun, 0, tx, 0, ufrag + ":clnt", 1, 2, true,
                    StunMessages.integrityMac(pwd));
            attacker.setSoTimeout(500);
            byte[] in = new byte[1500];
            for (int tries = 0; tries < 10; tries++) {
                attacker.send(new DatagramPacket(stun, n, attackerPort));
                try {
                    attacker.receive(new DatagramPacket(in, in.length));
                    return true;
                } catch (java.net.SocketTimeoutException e) {
                    // retransmit, as an ICE agent does
                }
            }
            return false;
        }

        /** A DTLS 1.2 record holding the start of a ClientHello (content type 22, handshake type 1). */
        private static byte[] clientHello(Random random) {
            byte[] b = new byte[200];
            random.nextBytes(b);
            b[0] = 22;
            b[1] = (byte) 0xfe;
            b[2] = (byte) 0xfd;
            b[3] = 0;
            b[4] = 0;
            b[11] = 0;
            b[12] = (byte) (b.length - 13);
            b[13] = 1;
            return b;
        }
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }
}
