package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.srtp.SrtpProfile;
import org.conclave.sfu.srtp.SrtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DtlsSessionTest {
    /** Fast retransmission so lost datagrams cost 100 ms, not 1 s. */
    private static final DtlsSettings FAST = DtlsSettings.DEFAULT.withInitialRetransmit(Duration.ofMillis(100));

    private static DtlsCertificate serverCert;
    private static DtlsCertificate clientCert;
    private static DtlsCertificate strangerCert;

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dtls-test");
        t.setDaemon(true);
        return t;
    });
    private final List<DtlsSession> sessions = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        serverCert = DtlsCertificate.generate();
        clientCert = DtlsCertificate.generate();
        strangerCert = DtlsCertificate.generate();
    }

    @AfterEach
    void tearDown() {
        sessions.forEach(DtlsSession::close);
        executor.shutdownNow();
    }

    /** A connected pair; call {@link Pair#start()} to begin. */
    private final class Pair {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        final Link toServer;
        final Link toClient;
        final DtlsServerSession server;
        final DtlsClientSession client;

        Pair(Link.DropRule clientLoss, Link.DropRule serverLoss, List<Fingerprint> clientFpSeenByServer,
             List<Fingerprint> serverFpSeenByClient, DtlsSettings serverSettings, DtlsSettings clientSettings) {
            toServer = new Link(clientLoss);
            toClient = new Link(serverLoss);
            server = new DtlsServerSession(serverCert, clientFpSeenByServer, toClient, serverEvents, serverSettings);
            client = new DtlsClientSession(clientCert, serverFpSeenByClient, toServer, clientEvents, clientSettings);
            toServer.connect(server);
            toClient.connect(client);
            sessions.add(server);
            sessions.add(client);
        }

        Pair start() {
            server.start(executor);
            client.start(executor);
            return this;
        }
    }

    private Pair pair(DtlsSettings serverSettings, DtlsSettings clientSettings) {
        return new Pair(Link.NO_LOSS, Link.NO_LOSS, List.of(clientCert.fingerprint()),
                List.of(serverCert.fingerprint()), serverSettings, clientSettings);
    }

    @Test
    void handshakeNegotiatesGcmAndBothSidesDeriveTheSameKeys() throws Exception {
        Pair p = pair(FAST, FAST).start();

        RecordingListener.Handshake s = p.serverEvents.awaitHandshake();
        RecordingListener.Handshake c = p.clientEvents.awaitHandshake();

        assertThat(s.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(c.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(s.keys()).isEqualTo(c.keys());
        assertThat(s.keys().clientWriteKey()).isNotEqualTo(s.keys().serverWriteKey());
        assertThat(s.keys().fits(SrtpProfile.AEAD_AES_128_GCM)).isTrue();
        assertThat(p.server.state()).isEqualTo(DtlsSession.State.CONNECTED);
        assertThat(p.client.state()).isEqualTo(DtlsSession.State.CONNECTED);
    }

    @Test
    void clientOfferingOnlyCmGetsCm() throws Exception {
        Pair p = pair(FAST, FAST.withSrtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80)).start();

        assertThat(p.serverEvents.awaitHandshake().profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(p.clientEvents.awaitHandshake().profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void serverPreferenceWinsOverClientOrder() throws Exception {
        Pair p = pair(FAST.withSrtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM),
                FAST.withSrtpProfiles(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80)).start();

        assertThat(p.clientEvents.awaitHandshake().profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void handshakeSurvivesLostDatagramsIncludingTheServersFinalFlight() throws Exception {
        AtomicBoolean finishedDropped = new AtomicBoolean();
        AtomicInteger serverFinishedSent = new AtomicInteger();
        Link.DropRule clientLoss = (i, d) -> i == 0 || i == 2;     // first ClientHello, part of the client's 2nd flight
        Link.DropRule serverLoss = (i, d) -> {
            if (Link.isFinished(d) && serverFinishedSent.incrementAndGet() == 1) {
                finishedDropped.set(true);
                return true;                                        // the server's first Finished
            }
            return i == 0;                                          // the first ServerHello
        };
        Pair p = new Pair(clientLoss, serverLoss, List.of(clientCert.fingerprint()),
                List.of(serverCert.fingerprint()), FAST, FAST).start();

        RecordingListener.Handshake s = p.serverEvents.awaitHandshake();
        RecordingListener.Handshake c = p.clientEvents.awaitHandshake();

        assertThat(s.keys()).isEqualTo(c.keys());
        assertThat(finishedDropped).isTrue();
        assertThat(p.toServer.dropped.get() + p.toClient.dropped.get()).isEqualTo(4);
        // The server resent Finished when the client retransmitted, after its own handshake had completed.
        assertThat(serverFinishedSent.get()).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtpKeysFromTheHandshakeProtectMediaBothWays(SrtpProfile profile) throws Exception {
        Pair p = pair(FAST, FAST.withSrtpProfiles(profile)).start();
        RecordingListener.Handshake s = p.serverEvents.awaitHandshake();
        RecordingListener.Handshake c = p.clientEvents.awaitHandshake();
        SrtpSession server = new SrtpSession(s.profile(), s.keys(), true);
        SrtpSession client = new SrtpSession(c.profile(), c.keys(), false);

        for (boolean rtcp : new boolean[] {false, true}) {
            assertRoundTrip(client, server, rtcp, 0x1111);
            assertRoundTrip(server, client, rtcp, 0x2222);
        }
        // Replayed and tampered packets are refused.
        byte[] pkt = rtp(77, 0x3333);
        int n = client.protectRtp(pkt, 0, pkt.length - SrtpSession.MAX_RTP_OVERHEAD);
        byte[] replay = pkt.clone();
        byte[] tampered = pkt.clone();
        tampered[20] ^= 1;
        assertThat(server.unprotectRtp(tampered, 0, n)).isEqualTo(SrtpSession.ERR_AUTH);
        assertThat(server.unprotectRtp(pkt, 0, n)).isPositive();
        assertThat(server.unprotectRtp(replay, 0, n)).isEqualTo(SrtpSession.ERR_REPLAY);
        // A session keyed for the wrong role cannot read the peer.
        SrtpSession wrongRole = new SrtpSession(s.profile(), s.keys(), false);
        byte[] other = rtp(1, 0x4444);
        int m = client.protectRtp(other, 0, other.length - SrtpSession.MAX_RTP_OVERHEAD);
        assertThat(wrongRole.unprotectRtp(other, 0, m)).isEqualTo(SrtpSession.ERR_AUTH);
    }

    @Test
    void serverRejectsAClientWhoseCertificateDoesNotMatchItsSdp() throws Exception {
        Pair p = new Pair(Link.NO_LOSS, Link.NO_LOSS, List.of(strangerCert.fingerprint()),
                List.of(serverCert.fingerprint()), FAST, FAST).start();

        RecordingListener.Failure f = p.serverEvents.awaitFailure();

        assertThat(f.kind()).isEqualTo(FailureKind.FINGERPRINT_MISMATCH);
        assertThat(f.detail()).contains("client", "sha-256 " + clientCert.sha256Fingerprint(),
                "sha-256 " + strangerCert.sha256Fingerprint());
        RecordingListener.Failure cf = p.clientEvents.awaitFailure();
        assertThat(cf.kind()).isEqualTo(FailureKind.ALERT);
        assertThat(cf.detail()).contains("bad_certificate");
        assertThat(p.serverEvents.handshake).isNotDone();
        assertThat(p.server.state()).isEqualTo(DtlsSession.State.FAILED);
    }

    @Test
    void clientRejectsAServerWhoseCertificateDoesNotMatchItsSdp() throws Exception {
        Pair p = new Pair(Link.NO_LOSS, Link.NO_LOSS, List.of(clientCert.fingerprint()),
                List.of(Fingerprint.of("sha-1", strangerCert.derEncoded())), FAST, FAST).start();

        RecordingListener.Failure f = p.clientEvents.awaitFailure();

        assertThat(f.kind()).isEqualTo(FailureKind.FINGERPRINT_MISMATCH);
        assertThat(f.detail()).contains("server", "sha-1 " + Fingerprint.of("sha-1", serverCert.derEncoded()).hex(),
                "sha-1 " + Fingerprint.of("sha-1", strangerCert.derEncoded()).hex());
        assertThat(p.serverEvents.awaitFailure().kind()).isEqualTo(FailureKind.ALERT);
    }

    @Test
    void anyOfSeveralSdpFingerprintsMayMatchWithAnyHash() throws Exception {
        List<Fingerprint> fps = List.of(strangerCert.fingerprint(), Fingerprint.of("sha-512", clientCert.derEncoded()));
        Pair p = new Pair(Link.NO_LOSS, Link.NO_LOSS, fps, List.of(serverCert.fingerprint()), FAST, FAST).start();

        p.serverEvents.awaitHandshake();
    }

    @Test
    void noCommonSrtpProfileFailsWithAClearReason() throws Exception {
        Pair p = pair(FAST.withSrtpProfiles(SrtpProfile.AEAD_AES_128_GCM),
                FAST.withSrtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80)).start();

        RecordingListener.Failure f = p.serverEvents.awaitFailure();

        assertThat(f.kind()).isEqualTo(FailureKind.NO_COMMON_SRTP_PROFILE);
        assertThat(f.detail()).contains("no common SRTP protection profile", "AES_CM_128_HMAC_SHA1_80",
                "AEAD_AES_128_GCM");
        RecordingListener.Failure cf = p.clientEvents.awaitFailure();
        assertThat(cf.kind()).isEqualTo(FailureKind.ALERT);
        assertThat(cf.detail()).contains("handshake_failure");
    }

    @Test
    void handshakeTimesOutWhenNoClientComes() throws Exception {
        RecordingListener events = new RecordingListener();
        Link nowhere = new Link(Link.NO_LOSS);
        DtlsServerSession server = new DtlsServerSession(serverCert, List.of(clientCert.fingerprint()), nowhere,
                events, FAST.withHandshakeTimeout(Duration.ofMillis(300)));
        sessions.add(server);
        server.start(executor);

        RecordingListener.Failure f = events.awaitFailure();

        assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(f.detail()).contains("300 ms");
    }

    @Test
    void clientRetransmitsThenTimesOutWhenTheServerIsSilent() throws Exception {
        RecordingListener events = new RecordingListener();
        Link blackHole = new Link((i, d) -> true);
        DtlsClientSession client = new DtlsClientSession(clientCert, List.of(serverCert.fingerprint()), blackHole,
                events, FAST.withHandshakeTimeout(Duration.ofMillis(500)));
        sessions.add(client);
        client.start(executor);

        assertThat(events.awaitFailure().kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(blackHole.sent.get()).as("ClientHello and its retransmissions").isGreaterThanOrEqualTo(2);
    }

    @Test
    void applicationDataFlowsBothWaysAndCloseNotifyEndsBothSides() throws Exception {
        Pair p = pair(FAST, FAST).start();
        p.serverEvents.awaitHandshake();
        p.clientEvents.awaitHandshake();
        byte[] hello = "hello sctp".getBytes(StandardCharsets.UTF_8);

        assertThat(p.client.sendApplicationData(hello, 0, hello.length)).isTrue();
        assertThat(p.serverEvents.awaitData()).isEqualTo(hello);
        byte[] big = new byte[p.server.maxApplicationDataSize()];
        Arrays.fill(big, (byte) 7);
        assertThat(p.server.sendApplicationData(big, 0, big.length)).isTrue();
        assertThat(p.clientEvents.awaitData()).isEqualTo(big);
        assertThatThrownBy(() -> p.server.sendApplicationData(new byte[big.length + 1], 0, big.length + 1))
                .isInstanceOf(IllegalArgumentException.class);

        p.client.close();

        p.clientEvents.awaitClosed();
        p.serverEvents.awaitClosed();
        assertThat(p.client.sendApplicationData(hello, 0, hello.length)).isFalse();
        assertThat(p.server.state()).isEqualTo(DtlsSession.State.CLOSED);
        assertThat(p.serverEvents.finalEvents.get()).isEqualTo(1);
        assertThat(p.clientEvents.finalEvents.get()).isEqualTo(1);
    }

    @Test
    void sendsFromAnotherThreadWhileTheServerResendsItsFinalFlightAreSafe() throws Exception {
        AtomicInteger serverFinished = new AtomicInteger();
        AtomicInteger leaked = new AtomicInteger();
        Link.DropRule serverLoss = (i, d) -> {
            if (d.length > 13 && d[0] == 22 && d[3] == 0 && d[4] == 0 && d[13] == 'x') {
                leaked.incrementAndGet(); // application data sent as a plaintext epoch-0 handshake record
            }
            return Link.isFinished(d) && serverFinished.incrementAndGet() <= 3;
        };
        Pair p = new Pair(Link.NO_LOSS, serverLoss, List.of(clientCert.fingerprint()),
                List.of(serverCert.fingerprint()), FAST, FAST).start();
        p.serverEvents.awaitHandshake();
        AtomicBoolean stop = new AtomicBoolean();
        Thread blaster = new Thread(() -> {
            byte[] msg = "x".repeat(200).getBytes(StandardCharsets.US_ASCII);
            while (!stop.get()) {
                p.server.sendApplicationData(msg, 0, msg.length); // races the server's resend of Finished
            }
        });
        blaster.start();
        try {
            p.clientEvents.awaitHandshake();
            assertThat(new String(p.clientEvents.awaitData(), StandardCharsets.US_ASCII)).isEqualTo("x".repeat(200));
        } finally {
            stop.set(true);
            blaster.join(TimeUnit.SECONDS.toMillis(RecordingListener.DEADLINE_SECONDS));
        }
        assertThat(serverFinished.get()).isGreaterThanOrEqualTo(4);
        assertThat(leaked.get()).as("application data leaked in the clear").isZero();
        assertThat(p.serverEvents.failed).isNotDone();
        assertThat(p.clientEvents.failed).isNotDone();
        assertThat(p.server.state()).isEqualTo(DtlsSession.State.CONNECTED);
    }

    @Test
    void closeDuringTheHandshakeEndsQuietly() throws Exception {
        RecordingListener events = new RecordingListener();
        Link out = new Link(Link.NO_LOSS);
        DtlsServerSession server = new DtlsServerSession(serverCert, List.of(clientCert.fingerprint()), out,
                events, FAST);
        sessions.add(server);
        server.start(executor);

        server.close();

        events.awaitClosed();
        assertThat(server.state()).isEqualTo(DtlsSession.State.CLOSED);
        assertThat(out.sent.get()).as("no alert for an abandoned handshake").isZero();
    }

    @Test
    void closeBeforeStartEndsAtOnce() {
        RecordingListener events = new RecordingListener();
        DtlsServerSession server = new DtlsServerSession(serverCert, List.of(clientCert.fingerprint()),
                new Link(Link.NO_LOSS), events);
        server.close();
        server.close();
        assertThat(events.closed).isCompleted();
        assertThat(events.finalEvents.get()).isEqualTo(1);
        assertThatThrownBy(() -> server.start(executor)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFullReceiveQueueDropsInsteadOfBlocking() {
        DtlsServerSession server = new DtlsServerSession(serverCert, List.of(clientCert.fingerprint()),
                new Link(Link.NO_LOSS), new RecordingListener(), FAST.withReceiveQueueCapacity(4));
        byte[] d = new byte[100];
        for (int i = 0; i < 10; i++) {
            server.receive(d, 0, d.length); // not started: nothing drains the queue
        }
        server.receive(new byte[QueueDatagramTransport.MAX_DATAGRAM + 1], 0, QueueDatagramTransport.MAX_DATAGRAM + 1);
        assertThat(server.droppedDatagrams()).isEqualTo(6 + 1);
    }

    @Test
    void randomDatagramsBeforeTheClientHelloAreIgnored() throws Exception {
        Pair p = pair(FAST.withReceiveQueueCapacity(512), FAST); // room for all the junk: each is parsed
        p.server.start(executor);
        Random r = new Random(20261121);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[1 + r.nextInt(300)];
            r.nextBytes(junk);
            p.server.receive(junk, 0, junk.length);
        }
        p.client.start(executor);

        assertThat(p.serverEvents.awaitHandshake().keys()).isEqualTo(p.clientEvents.awaitHandshake().keys());
        assertThat(p.server.droppedDatagrams()).isZero();
    }

    @Test
    void emptyFingerprintListIsRefused() {
        assertThatThrownBy(() -> new DtlsServerSession(serverCert, List.of(), new Link(Link.NO_LOSS),
                new RecordingListener())).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRoundTrip(SrtpSession from, SrtpSession to, boolean rtcp, int ssrc) {
        byte[] pkt = rtcp ? rtcp(ssrc) : rtp(5, ssrc);
        int slack = rtcp ? SrtpSession.MAX_RTCP_OVERHEAD : SrtpSession.MAX_RTP_OVERHEAD;
        int len = pkt.length - slack;
        byte[] plain = Arrays.copyOf(pkt, len);
        int n = rtcp ? from.protectRtcp(pkt, 0, len) : from.protectRtp(pkt, 0, len);
        assertThat(n).as(SrtpSession.describe(n)).isGreaterThan(len);
        int m = rtcp ? to.unprotectRtcp(pkt, 0, n) : to.unprotectRtp(pkt, 0, n);
        assertThat(m).as(SrtpSession.describe(m)).isEqualTo(len);
        assertThat(Arrays.copyOf(pkt, m)).isEqualTo(plain);
    }

    private static byte[] rtp(int seq, int ssrc) {
        byte[] b = new byte[12 + 160 + SrtpSession.MAX_RTP_OVERHEAD];
        b[0] = (byte) 0x80;
        b[1] = 111;
        b[3] = (byte) seq;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        for (int i = 12; i < 172; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] rtcp(int ssrc) {
        byte[] b = new byte[32 + SrtpSession.MAX_RTCP_OVERHEAD];
        b[0] = (byte) 0x81;
        b[1] = (byte) 201;
        b[3] = 7;
        b[4] = (byte) (ssrc >> 24);
        b[5] = (byte) (ssrc >> 16);
        b[6] = (byte) (ssrc >> 8);
        b[7] = (byte) ssrc;
        for (int i = 8; i < 32; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
