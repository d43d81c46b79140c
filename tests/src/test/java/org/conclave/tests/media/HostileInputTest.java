package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.sfu.ice.StunMessage;
import org.conclave.sfu.ice.StunMessages;
import org.junit.jupiter.api.Test;

/**
 * Datagrams from addresses that never passed ICE are dropped and counted; garbage of every shape never crashes the
 * packet thread; bad SDP is refused with a reason and changes nothing. Real UDP to a real SFU.
 */
class HostileInputTest {
    static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:clnt",
            "a=ice-pwd:clientpasswordclientpassword",
            "a=fingerprint:sha-256 "
                    + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
            "a=setup:actpass",
            "a=mid:0",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:1111 cname:hostile",
            "") + "\r\n";

    @Test
    void packetsFromAddressesThatDidNotPassIceAreDroppedAndCounted() throws Exception {
        try (SfuFixture f = SfuFixture.start(); DatagramSocket attacker = new DatagramSocket(0)) {
            String answer = allocateWithOffer(f, "victim");
            InetSocketAddress sfu = new InetSocketAddress("127.0.0.1", f.sfu.boundAddress().getPort());
            WorkerStats stats = f.sfu.packetStats();
            long before = stats.unauthenticatedDrops();

            byte[] rtp = new byte[172];
            rtp[0] = (byte) 0x80;
            rtp[1] = 111;
            for (int i = 0; i < 50; i++) send(attacker, sfu, rtp, rtp.length);
            byte[] dtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
            for (int i = 0; i < 20; i++) send(attacker, sfu, dtls, dtls.length);

            awaitAtLeast(stats::unauthenticatedDrops, before + 70);
            assertThat(stats.internalErrors()).isZero();
            // The attacker learned nothing and the victim's endpoint is intact.
            assertThat(f.sfu.conferences().endpointCount().toCompletableFuture().get()).isEqualTo(1);
            assertThat(answer).contains("a=ice-lite");
        }
    }

    @Test
    void garbageOfEveryShapeNeverStopsThePacketThread() throws Exception {
        try (SfuFixture f = SfuFixture.start(); DatagramSocket socket = new DatagramSocket(0)) {
            String answer = allocateWithOffer(f, "bystander");
            String ufrag = find(answer, "a=ice-ufrag:(\\S+)");
            String pwd = find(answer, "a=ice-pwd:(\\S+)");
            InetSocketAddress sfu = new InetSocketAddress("127.0.0.1", f.sfu.boundAddress().getPort());
            WorkerStats stats = f.sfu.packetStats();
            Random random = new Random(7);
            long sent = 0;
            for (int len : new int[] {0, 1, 2, 3, 11, 12, 19, 20, 21, 64, 200, 1200, 1500, 1501, 4000}) {
                for (int first = 0; first < 256; first += 5) {
                    byte[] b = new byte[len];
                    random.nextBytes(b);
                    if (len > 0) b[0] = (byte) first;
                    send(socket, sfu, b, len);
                    sent++;
                }
            }
            // STUN addressed to an unknown ufrag, and to ours with a wrong password.
            byte[] tx = new byte[12];
            byte[] stun = new byte[512];
            int n = StunMessages.writeBindingRequest(stun, 0, tx, 0, "nobody:clnt", 1, 2, true,
                    StunMessages.integrityMac("wrongwrongwrongwrongwrong"));
            send(socket, sfu, stun, n);
            n = StunMessages.writeBindingRequest(stun, 0, tx, 0, ufrag + ":clnt", 1, 2, true,
                    StunMessages.integrityMac("wrongwrongwrongwrongwrong"));
            send(socket, sfu, stun, n);
            awaitAtLeast(stats::datagramsReceived, sent + 2 - 1 /* the zero-length datagram may not count */);
            awaitAtLeast(stats::stunUnknownUfrag, 1);
            awaitAtLeast(stats::stunRejected, 1);
            assertThat(stats.internalErrors()).isZero();

            // Still alive: a correct check from the same socket is answered with a valid success response.
            new Random().nextBytes(tx);
            n = StunMessages.writeBindingRequest(stun, 0, tx, 0, ufrag + ":clnt", 1, 2, true,
                    StunMessages.integrityMac(pwd));
            send(socket, sfu, stun, n);
            socket.setSoTimeout(5000);
            byte[] in = new byte[1500];
            DatagramPacket reply = new DatagramPacket(in, in.length);
            StunMessage msg = new StunMessage();
            do {
                socket.receive(reply);
            } while (msg.parse(in, 0, reply.getLength()) != StunMessage.Status.OK || !msg.transactionIdEquals(tx, 0));
            assertThat(msg.integrityValid(StunMessages.integrityMac(pwd))).isTrue();
            assertThat(msg.xorMappedAddress().getPort()).isEqualTo(socket.getLocalPort());
        }
    }

    @Test
    void malformedSdpIsRefusedWithAReasonAndChangesNothing() throws Exception {
        try (SfuFixture f = SfuFixture.start()) {
            allocateWithOffer(f, "good");
            String id = f.sfu.control().allocate(new AllocateRequest("c", "bad", Role.GUEST), new EndpointListener() {})
                    .toCompletableFuture().get().endpointId();
            for (String bad : new String[] {"", "garbage", "v=0\r\nm=audio x\r\n", OFFER.replace("a=group:BUNDLE 0\r\n", ""),
                    OFFER.replace("a=setup:actpass", "a=setup:passive"), OFFER.replace("a=rtcp-mux\r\n", ""),
                    OFFER.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111"), "v=0\r\n" + "a=x\r\n".repeat(50_000)}) {
                assertThatThrownBy(() -> f.sfu.control().applyOffer(id, bad).toCompletableFuture().join())
                        .isInstanceOf(CompletionException.class)
                        .cause().isInstanceOf(SfuException.class)
                        .satisfies(e -> assertThat(((SfuException) e).reason()).isEqualTo(FailureReason.BAD_SDP))
                        .hasMessageNotContaining("Exception");
            }
            // The endpoint can still negotiate properly after all that.
            assertThat(f.sfu.control().applyOffer(id, OFFER).toCompletableFuture().get()).contains("a=ice-lite");
            assertThat(f.sfu.conferences().endpointCount().toCompletableFuture().get()).isEqualTo(2);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    @Test
    void aTrackMsidAnotherParticipantPublishesIsRefused() throws Exception {
        try (SfuFixture f = SfuFixture.start()) {
            String withMsid = OFFER.replace("a=rtcp-mux\r\n", "a=rtcp-mux\r\na=msid:victim-stream victim-audio\r\n");
            String victim = f.sfu.control().allocate(new AllocateRequest("c", "victim", Role.GUEST),
                    new EndpointListener() {}).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
            f.sfu.control().applyOffer(victim, withMsid).toCompletableFuture().get(5, TimeUnit.SECONDS);
            String thief = f.sfu.control().allocate(new AllocateRequest("c", "thief", Role.GUEST),
                    new EndpointListener() {}).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
            assertThatThrownBy(() -> f.sfu.control().applyOffer(thief, withMsid).toCompletableFuture().join())
                    .cause().isInstanceOf(SfuException.class)
                    .hasMessageContaining("victim-stream victim-audio is already published");
            // Another conference may use the same ids: nothing is shared across conferences.
            String elsewhere = f.sfu.control().allocate(new AllocateRequest("other", "x", Role.GUEST),
                    new EndpointListener() {}).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
            assertThat(f.sfu.control().applyOffer(elsewhere, withMsid).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .contains("a=ice-lite");
            // The refused one can still publish under its own ids.
            assertThat(f.sfu.control().applyOffer(thief, OFFER).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .contains("a=ice-lite");
        }
    }

    private static String allocateWithOffer(SfuFixture f, String who) throws Exception {
        String id = f.sfu.control().allocate(new AllocateRequest("c", who, Role.GUEST), new EndpointListener() {})
                .toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
        return f.sfu.control().applyOffer(id, OFFER).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static void send(DatagramSocket s, InetSocketAddress to, byte[] b, int len) throws Exception {
        s.send(new DatagramPacket(b, len, to));
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }

    /** Polls a counter until it reaches a value, with a deadline. */
    static void awaitAtLeast(LongSupplier counter, long value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counter.getAsLong() < value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("counter stuck at " + counter.getAsLong() + ", expected at least " + value);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
