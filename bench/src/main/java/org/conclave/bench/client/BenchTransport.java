package org.conclave.bench.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import org.conclave.sfu.dtls.DtlsCertificate;
import org.conclave.sfu.dtls.DtlsClientSession;
import org.conclave.sfu.dtls.DtlsSession;
import org.conclave.sfu.dtls.DtlsSettings;
import org.conclave.sfu.dtls.FailureKind;
import org.conclave.sfu.dtls.Fingerprint;
import org.conclave.sfu.ice.IceCandidates;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.StunMessage;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * One client connection of the load generator (what a browser's RTCPeerConnection is): a UDP socket, ICE with one
 * host candidate, the DTLS client, SRTP. The same classes as {@code tests.client.JavaPeer}, but without threads of
 * its own: a shared receive loop hands it datagrams ({@link #onDatagram}) and a shared pacer sends through it
 * ({@link #protect}, {@link #write}), so hundreds fit on one machine.
 *
 * <p>Threads: {@link #connect} on a setup thread; {@link #onDatagram} on its receive loop only; {@link #protect} and
 * {@link #write} on its pacer only; DTLS records go out from the DTLS thread. The socket itself is thread-safe.
 */
public final class BenchTransport implements AutoCloseable {
    /** Connectivity checks are repeated this often until answered (RFC 8445 §14.3 pacing is for real networks). */
    static final long CHECK_INTERVAL_MS = 50;
    static final int SOCKET_BUFFER_BYTES = 1 << 20;
    static final int STUN_BUFFER = 512;

    /** What the receive side of a transport reports to. Implemented by the receive loop. */
    public interface Sink {
        /** A decrypted RTP packet: {@code b[0..len)} holds it. */
        void onRtp(BenchTransport from, byte[] b, int len, int datagramBytes, long nowNanos);

        void onRtcp(BenchTransport from);

        void onSrtpFailure(BenchTransport from, int code);
    }

    /**
     * Sees every decrypted RTP packet before the sink, on the receive loop: for a test that needs more than the
     * benchmark's tally (the soak's check that stayers decode every visitor). Must not allocate or block.
     */
    public interface RtpWatcher {
        /** A decrypted RTP packet in {@code b[0..len)} (not yet validated). */
        void onRtp(byte[] b, int len, long nowNanos);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final IceCredentials ice = IceCredentials.random();
    private final byte[] localUfrag = ice.ufrag().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final Mac localMac = StunMessages.integrityMac(ice.pwd());
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final String label;
    private final long tieBreaker = RANDOM.nextLong();
    /** The client's one SFrame counter, shared by all its tracks as an encrypting client's is (its pacer only). */
    private long sframeCounter = org.conclave.bench.load.FramePayload.FIRST_COUNTER;
    private final CompletableFuture<SrtpSession> srtpReady = new CompletableFuture<>();

    /** The SFrame counter for the next frame this client sends (pacer thread only). */
    public long nextSframeCounter() {
        return sframeCounter++;
    }

    // receive-loop state
    private final StunMessage stun = new StunMessage();
    private final byte[] stunOut = new byte[STUN_BUFFER];
    private volatile SrtpSession srtp;
    private volatile DtlsClientSession dtls;
    private volatile boolean[] wanted = new boolean[0];
    private volatile RtpWatcher watcher;
    /** SSRCs to forget, queued by any thread, forgotten by the receive loop (SrtpSession's receive side is its). */
    private final ConcurrentLinkedQueue<Integer> forgetting = new ConcurrentLinkedQueue<>();
    private volatile boolean forgetPending;

    private volatile InetSocketAddress remote;
    private volatile boolean checkAnswered;
    private volatile boolean checkedByRemote;
    private volatile boolean closed;
    private Mac remoteMac;
    private String remoteUfrag;
    private boolean controlling;

    public BenchTransport(InetAddress localAddress, String label) throws IOException {
        this.label = label;
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        channel.bind(new InetSocketAddress(localAddress, 0));
        channel.configureBlocking(false);
        local = (InetSocketAddress) channel.getLocalAddress();
    }

    public String label() {
        return label;
    }

    public DatagramChannel channel() {
        return channel;
    }

    public LocalIdentity identity() {
        long priority = IceCandidates.priority(IceCandidates.HOST_TYPE_PREFERENCE, IceCandidates.MAX_LOCAL_PREFERENCE, 1);
        return new LocalIdentity(ice.ufrag(), ice.pwd(), certificate.fingerprint().toSdpValue(),
                "candidate:1 1 udp " + priority + " " + local.getAddress().getHostAddress() + " " + local.getPort() + " typ host");
    }

    /** Which track indices this transport's participant asked for; probes of others count as unexpected. */
    public void setWanted(boolean[] wanted) {
        this.wanted = wanted;
    }

    public boolean wants(int track) {
        boolean[] w = wanted;
        return track < w.length && w[track];
    }

    /** Sets what sees every decrypted RTP packet (null: nothing; the benchmark sets none). */
    public void watch(RtpWatcher w) {
        watcher = w;
    }

    /**
     * Forgets a remote stream that is gone (its m-line turned inactive), as a browser does: any thread; done by the
     * receive loop at its next datagram. Without it a client that stays while others come and go runs out of inbound
     * SRTP streams ({@link SrtpSession#MAX_INBOUND_STREAMS}).
     */
    public void forgetInbound(int ssrc) {
        forgetting.add(ssrc);
        forgetPending = true;
    }

    /**
     * Points the socket at the server's candidate. Call before handing the transport to a receive loop: a connected
     * datagram channel reads only what that address sends.
     */
    public void aim(InetSocketAddress server) throws IOException {
        remote = server;
        channel.connect(server);
    }

    /**
     * ICE then DTLS then SRTP, blocking until media can flow. Controlling: sends checks with USE-CANDIDATE until one
     * is answered (ICE-lite servers, Janus answering our offer). Controlled: waits for the server's own check (Janus
     * after it offered).
     */
    public void connect(RemoteDescription server, boolean controlling, DtlsSettings settings, Executor dtlsThreads,
            long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            this.controlling = controlling;
            this.remoteUfrag = server.iceUfrag();
            this.remoteMac = StunMessages.integrityMac(server.icePwd());
        }
        List<Fingerprint> fingerprints = new ArrayList<>();
        for (String f : server.fingerprints()) fingerprints.add(Fingerprint.parse(f));
        while (!(controlling ? checkAnswered : checkedByRemote)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(label + ": ICE did not complete with " + remote
                        + (controlling ? " (our checks were not answered)" : " (no check arrived)"));
            }
            if (controlling) sendCheck(true);
            Thread.sleep(CHECK_INTERVAL_MS);
        }
        DtlsClientSession d = new DtlsClientSession(certificate, fingerprints, this::sendRaw, new DtlsSession.Listener() {
            @Override
            public void onHandshakeComplete(SrtpProfile profile, SrtpKeys keys) {
                SrtpSession s = new SrtpSession(profile, keys, false);
                srtp = s;
                srtpReady.complete(s);
            }

            @Override
            public void onFailed(FailureKind kind, String detail) {
                srtpReady.completeExceptionally(new IOException(label + ": DTLS " + kind + ": " + detail));
            }

            @Override
            public void onApplicationData(byte[] b, int off, int len) {}

            @Override
            public void onClosed() {
                srtpReady.completeExceptionally(new IOException(label + ": DTLS closed"));
            }
        }, settings);
        dtls = d;
        d.start(dtlsThreads);
        long left = Math.max(1, deadline - System.nanoTime());
        try {
            srtpReady.get(left, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(label + ": DTLS did not complete with " + remote + " in time");
        }
    }

    public boolean connected() {
        return srtp != null;
    }

    public SrtpProfile profile() {
        SrtpSession s = srtp;
        return s == null ? null : s.profile();
    }

    /** A consent check (RFC 7675) while connected; the controlled side leaves them to the controlling one. */
    public void sendConsent() {
        if (controlling && srtp != null && !closed) sendCheck(true);
    }

    private synchronized void sendCheck(boolean nominate) {
        byte[] b = new byte[STUN_BUFFER];
        byte[] tx = new byte[StunMessages.TRANSACTION_ID_LENGTH];
        RANDOM.nextBytes(tx);
        long priority = IceCandidates.priority(IceCandidates.HOST_TYPE_PREFERENCE, IceCandidates.MAX_LOCAL_PREFERENCE, 1);
        int n = StunMessages.writeBindingRequest(b, 0, tx, 0, remoteUfrag + ":" + ice.ufrag(), priority, tieBreaker,
                nominate, remoteMac);
        sendRaw(b, 0, n);
    }

    private void sendRaw(byte[] b, int off, int len) {
        try {
            channel.write(ByteBuffer.wrap(b, off, len));
        } catch (IOException e) {
            // a closed socket or an ICMP error from a server that went away: the measurement shows the loss
        }
    }

    // ------------------------------------------------------------------ pacer thread

    /** Encrypts the RTP packet in {@code b[0..len)} in place; returns the SRTP length or a negative SrtpSession code. */
    public int protect(byte[] b, int len) {
        SrtpSession s = srtp;
        return s == null ? SrtpSession.ERR_CLOSED : s.protectRtp(b, 0, len);
    }

    /** Sends one datagram; returns false if the socket's send buffer was full or the socket failed. */
    public boolean write(ByteBuffer datagram) {
        try {
            return channel.write(datagram) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ receive loop

    /** One datagram from the server, in {@code b[0..len)} (the buffer is reused after return). */
    public void onDatagram(byte[] b, int len, long nowNanos, Sink sink) {
        if (len <= 0) return;
        int first = b[0] & 0xFF;
        if (first >= 128 && first <= 191) {
            SrtpSession s = srtp;
            if (s == null) return;
            if (forgetPending) forgetQueued(s);
            if (len >= 2 && (b[1] & 0xFF) >= 192 && (b[1] & 0xFF) <= 223) {
                sink.onRtcp(this);
                return;
            }
            int n = s.unprotectRtp(b, 0, len);
            if (n < 0) {
                sink.onSrtpFailure(this, n);
                return;
            }
            RtpWatcher w = watcher;
            if (w != null) w.onRtp(b, n, nowNanos);
            sink.onRtp(this, b, n, len, nowNanos);
        } else if (first >= 20 && first <= 63) {
            DtlsClientSession d = dtls;
            if (d != null) d.receive(b, 0, len);
        } else if (first <= 3) {
            onStun(b, len);
        }
    }

    private void forgetQueued(SrtpSession s) {
        forgetPending = false;
        for (Integer ssrc; (ssrc = forgetting.poll()) != null; ) s.forgetInbound(ssrc);
    }

    private void onStun(byte[] b, int len) {
        if (stun.parse(b, 0, len) != StunMessage.Status.OK) return;
        if (stun.type() == StunMessages.BINDING_SUCCESS) {
            checkAnswered = true;
        } else if (stun.type() == StunMessages.BINDING_REQUEST) {
            if (!stun.hasUsername() || !stun.usernameRecipientIs(localUfrag) || !stun.hasIntegrity()
                    || !stun.integrityValid(localMac)) {
                return;
            }
            InetSocketAddress from = remote;
            if (from == null) return;
            int n = StunMessages.writeBindingSuccess(stunOut, 0, b, stun.transactionIdOffset(), from, localMac);
            sendRaw(stunOut, 0, n);
            checkedByRemote = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        DtlsClientSession d = dtls;
        if (d != null) d.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return label + "@" + local;
    }
}
