package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A source piped to another packet thread, through a real two-thread {@link MediaWorker} on loopback sockets with an
 * injected clock: when it goes away for good, the receiver on the other thread forgets its SRTP context, also when it
 * had unsubscribed before (its mirror already released, so no mirror tells it).
 */
class PipedSourceForgetTest {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final NanoClock clock = now::get;
    private MediaWorker worker;
    private final List<Peer> peers = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        if (worker != null) worker.close();
        for (Peer p : peers) p.close();
    }

    @Test
    void aReceiverOnAnotherThreadForgetsASourceThatLeftAfterItUnsubscribed() throws Exception {
        worker = new MediaWorker(List.of(udp(), udp()), clock, new MediaWorker.Listener() {
            @Override
            public void onIceFailed(String endpointId, FailureReason reason, String detail) {}
        }, RateControlConfig.defaults(), 1);
        worker.start();
        Peer alice = peer("alice", 1);
        Peer bob = peer("bob", 2);
        assertThat(alice.thread).isNotEqualTo(bob.thread); // one endpoint per thread: the conference spans both
        Source audio = PathRig.audio("alice", "0", 0xA0000001L, 0x1111);
        worker.setUpstream("alice", List.of(audio), 0);
        worker.subscribe("bob", audio, PathRig.downlink(false), VideoQuality.THUMBNAIL);

        // The pipe is attached at home by a task of its own: alice speaks until bob hears her.
        byte[] heard = null;
        for (int seq = 1; heard == null; seq++) {
            assertThat(seq).as("bob hears alice through the pipe").isLessThan(1000);
            alice.sendRtp(0x1111, seq);
            heard = bob.receiveRtp(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(RtpPacket.ssrc(heard, 0)).isEqualTo((int) audio.outSsrc());
        assertThat(onBobsThread(bob.session::outboundRtpStreams)).isEqualTo(1);

        worker.unsubscribe("bob", audio); // bob's mirror is released; his context stays for a re-subscription
        assertThat(onBobsThread(bob.session::outboundRtpStreams)).as("kept for its rollover counter").isEqualTo(1);

        worker.removeEndpoint("alice");
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (onBobsThread(bob.session::outboundRtpStreams) != 0) {
            assertThat(System.nanoTime() - deadline).as("bob's thread forgets alice's source").isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Reads {@code value} after every task the packet threads had queued: the sample is taken between packets. */
    private int onBobsThread(IntSupplier value) throws Exception {
        CompletableFuture<MediaSample> done = new CompletableFuture<>();
        worker.sample(done::complete);
        done.get(10, TimeUnit.SECONDS);
        return value.getAsInt();
    }

    private static DatagramChannel udp() throws IOException {
        return DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A client: placed, keyed, and through ICE (its check answered) before it is returned. */
    private Peer peer(String id, int n) throws Exception {
        IceCredentials credentials = IceCredentials.random();
        IceLiteAgent ice = new IceLiteAgent(credentials, clock, Duration.ofSeconds(10), Duration.ofSeconds(30));
        EndpointMedia ep = new EndpointMedia(id, "conf", credentials.ufrag(), ice, 0x1000 + n);
        Peer p = new Peer(n, worker.addEndpoint(ep), credentials);
        peers.add(p);
        p.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), worker.port(p.thread)));
        worker.srtpReady(id, p.session);
        byte[] b = new byte[256];
        int len = StunMessages.writeBindingRequest(b, 0, new byte[12], 0, credentials.ufrag() + ":cli", 0x6e7f00ffL,
                42, true, StunMessages.integrityMac(credentials.pwd()));
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        byte[] answer = null;
        while (answer == null) { // the endpoint reaches its thread by a task: checked again until it is there
            assertThat(System.nanoTime() - deadline).as("%s's check is answered", id).isNegative();
            p.socket.write(ByteBuffer.wrap(b, 0, len));
            answer = p.receive(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat((answer[0] & 0xFF) << 8 | answer[1] & 0xFF).isEqualTo(StunMessages.BINDING_SUCCESS);
        return p;
    }

    private static final class Peer {
        final int thread;
        final DatagramChannel socket;
        /** The SFU's side of its SRTP (the worker owns it once keyed) and the client's own. */
        final SrtpSession session;
        final SrtpSession client;
        private final Selector selector;

        Peer(int n, int thread, IceCredentials credentials) throws IOException {
            this.thread = thread;
            this.socket = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.configureBlocking(false);
            this.selector = Selector.open();
            socket.register(selector, SelectionKey.OP_READ);
            byte[] key = new byte[PathRig.PROFILE.keyLength()];
            byte[] salt = new byte[PathRig.PROFILE.saltLength()];
            Arrays.fill(key, (byte) n);
            Arrays.fill(salt, (byte) (n + 100));
            SrtpKeys keys = new SrtpKeys(key, key.clone(), salt, salt.clone());
            this.session = new SrtpSession(PathRig.PROFILE, keys, true);
            this.client = new SrtpSession(PathRig.PROFILE, keys, false);
        }

        void sendRtp(int ssrc, int seq) throws IOException {
            byte[] b = new byte[64];
            b[0] = (byte) 0x80;
            RtpPacket.setPayloadType(b, 0, 111);
            RtpPacket.setSequence(b, 0, seq);
            RtpPacket.setTimestamp(b, 0, 960L * seq);
            RtpPacket.setSsrc(b, 0, ssrc);
            b[12] = (byte) seq;
            int n = client.protectRtp(b, 0, 13);
            socket.write(ByteBuffer.wrap(b, 0, n));
        }

        /** The next RTP packet the SFU sent here, decrypted (RTCP and STUN skipped), or null by the deadline. */
        byte[] receiveRtp(long waitNanos) throws IOException {
            long deadline = System.nanoTime() + waitNanos;
            for (byte[] b; (b = receive(deadline - System.nanoTime())) != null; ) {
                if ((b[0] & 0xC0) != 0x80 || RtpPacket.isRtcp(b, 0, b.length)) continue;
                int n = client.unprotectRtp(b, 0, b.length);
                if (n > 0) return Arrays.copyOf(b, n);
            }
            return null;
        }

        /** The next datagram, or null once {@code waitNanos} passed. */
        byte[] receive(long waitNanos) throws IOException {
            long deadline = System.nanoTime() + waitNanos;
            ByteBuffer buf = ByteBuffer.allocate(2048);
            while (socket.receive(buf) == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return null;
                selector.select(left);
                selector.selectedKeys().clear();
            }
            return Arrays.copyOf(buf.array(), buf.position());
        }

        void close() throws IOException {
            selector.close();
            socket.close();
        }
    }
}
