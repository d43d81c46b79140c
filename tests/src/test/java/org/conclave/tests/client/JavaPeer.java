package org.conclave.tests.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import org.conclave.sfu.dtls.DtlsCertificate;
import org.conclave.sfu.dtls.DtlsClientSession;
import org.conclave.sfu.dtls.DtlsSession;
import org.conclave.sfu.dtls.FailureKind;
import org.conclave.sfu.dtls.Fingerprint;
import org.conclave.sfu.ice.IceCandidates;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.rtcp.GenericNack;
import org.conclave.sfu.rtcp.Pli;
import org.conclave.sfu.rtp.HeaderExtensions;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.RtcpCompound;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;
import org.conclave.sfu.srtp.SrtpSession;
import org.conclave.sfu.transport.PacketKind;

/**
 * Our own minimal WebRTC client: controlling ICE (one host candidate, aggressive nomination), DTLS client, SRTP,
 * and raw RTP with payloads the test chooses. For odd cases and load, where a browser cannot be scripted.
 * Not thread-safe except where noted: the test thread sends, one receive thread receives.
 */
public final class JavaPeer implements AutoCloseable {
    public static final int AUDIO_PT = 111;
    public static final int VIDEO_PT = 96;

    /** Header extension ids we offer (Chromium's numbering where it has one). */
    public static final int EXT_TRANSPORT_CC = 3;
    public static final int EXT_MID = 4;
    public static final int EXT_RID = 10;
    /** RFC 6464 audio level on the audio m-line (Chromium's id). */
    public static final int EXT_AUDIO_LEVEL = 1;
    /** Audio payloads carry a tag of this many bytes (the sender's audio SSRC): {@link AudioTags}. */
    public static final int AUDIO_TAG_BYTES = AudioTags.BYTES;
    /** How often a receiver sends transport-cc feedback and NACKs. */
    public static final long FEEDBACK_INTERVAL_MS = 50;
    /** How often a connected peer refreshes ICE consent (browsers: about every 5 s). */
    static final long CONSENT_INTERVAL_MS = 5_000;

    /** A REMB or TMMBR the SFU sent us, when we got it (System.nanoTime). */
    public record RateRequest(long atNanos, String kind, long bitrateBps, List<Integer> ssrcs) {}

    /** One received, decrypted RTP packet. */
    public record Received(int ssrc, int sequence, long timestamp, int payloadType, byte[] payload) {}

    private final SecureRandom random = new SecureRandom();
    private final DatagramSocket socket;
    private final IceCredentials credentials = IceCredentials.random();
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService dtlsThread = Executors.newSingleThreadExecutor(r -> daemon(r, "peer-dtls"));
    private final Thread receiver;
    private final CompletableFuture<SrtpSession> srtpReady = new CompletableFuture<>();
    private final CountDownLatch iceAnswered = new CountDownLatch(1);
    public final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile String iceUsername;
    private volatile Mac iceMac;
    public final int audioSsrc = random.nextInt();
    public final int videoSsrc = random.nextInt();
    /** Our msid stream id: unique per peer, so a conference's tracks (stream id, track id) never collide. */
    public final String streamId = "javapeer-" + Integer.toHexString(random.nextInt());
    /** RFC 6464 level (0 loudest .. 127 silence) that {@link #sendAudio} puts on the next packets; any thread. */
    public volatile int audioLevel = 127;
    private final AudioTags audioTags = new AudioTags();
    private volatile InetSocketAddress sfu;
    private volatile DtlsClientSession dtls;
    private volatile boolean closed;
    private volatile SrtpSession rxSrtp;
    private final byte[] txBuffer = new byte[2048];
    private final RtcpCompound rtcp = new RtcpCompound();
    private final SenderRequests requests = new SenderRequests();
    /** PLI and FIR packets the SFU sent us (we are a sender it asks for key frames). */
    public final AtomicInteger keyFrameRequests = requests.keyFrames;
    private final int rtcpSsrc = random.nextInt();
    private SrtpSession txSrtp;

    /** Simulcast rids, low to high, and their SSRCs; empty: one plain video SSRC. */
    private volatile List<String> rids = List.of();
    private final Map<String, Integer> ridSsrcs = new ConcurrentHashMap<>();
    /** Whether received packets are kept in {@link #received} (long runs at Mbit/s keep only the ledger). */
    public volatile boolean keepPackets = true;
    /** Per received stream counts, and the NACK / transport-cc bookkeeping of this peer as a receiver. */
    public final ReceiverLedger ledger = new ReceiverLedger();

    /** Sees the SSRC of every decrypted RTP packet, on the receive thread (must not block). */
    public interface RtpWatch {
        void onRtp(int ssrc, long nowNanos);
    }

    /** What sees every decrypted RTP packet, or null. */
    public volatile RtpWatch rtpWatch;

    /** SSRCs the SFU asked a key frame of (PLI or FIR), until the sender takes them. */
    public final Set<Integer> keyFramesWanted = requests.keyFramesWanted;
    private final AtomicInteger transportSequence = new AtomicInteger();
    private final AtomicLong nacksSent = new AtomicLong();
    private final AtomicLong rtxReceived = new AtomicLong();
    /** What the SFU's answer accepted for what we send. */
    private volatile PeerSdp.Upstream upstream = PeerSdp.Upstream.NONE;
    /** What the SFU's last re-offer said about what it sends us. */
    private volatile PeerSdp.Downstream downstream = PeerSdp.Downstream.of("");
    private final ScheduledExecutorService feedbackTimer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "peer-feedback"));
    private final byte[] feedbackBuffer = new byte[1500];

    public JavaPeer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        receiver = new Thread(this::receiveLoop, "peer-rx");
        receiver.setDaemon(true);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Makes this peer a simulcast sender with these rids, low to high (call before {@link #offer}): one video
     * m-line with a=rid/a=simulcast, each rid its own SSRC ({@link #ridSsrc}) named on every packet by the
     * rtp-stream-id extension.
     */
    public JavaPeer simulcast(String... ridsLowToHigh) {
        for (String rid : ridsLowToHigh) ridSsrcs.put(rid, random.nextInt());
        rids = List.of(ridsLowToHigh);
        return this;
    }

    /** The SSRC this simulcast sender uses for {@code rid}. */
    public int ridSsrc(String rid) {
        Integer ssrc = ridSsrcs.get(rid);
        if (ssrc == null) throw new IllegalArgumentException("no rid " + rid + " in " + rids);
        return ssrc;
    }

    /** A simulcast sender that also offers {@code ccm tmmbr} (RFC 5104): the SFU then clamps it with TMMBR. */
    public volatile boolean offerTmmbr;

    /** Every REMB and TMMBR the SFU sent us so far, oldest first. */
    public List<RateRequest> rateRequests() {
        return List.copyOf(requests.rates);
    }

    /** Generic NACK packets we sent as a receiver. */
    public long nacksSent() {
        return nacksSent.get();
    }

    /** RTX packets we received (and unwrapped into the ledger). */
    public long rtxReceived() {
        return rtxReceived.get();
    }

    /** Whether the SFU's last re-offer gave us the transport-wide-cc extension (we then send feedback). */
    public boolean receivesTransportCc() {
        return downstream.transportCc() > 0;
    }

    /** Whether our answer negotiated the transport-wide-cc extension for what we send. */
    public boolean sendsTransportCc() {
        return upstream.transportCc() > 0;
    }

    /** SCTP packets (DTLS application data) the SFU sends us; set before {@link #connect}. */
    @FunctionalInterface
    public interface ApplicationData {
        void receive(byte[] b, int off, int len);
    }

    /** When set, the offer also has a data channel m-line (mid 2) and the SFU's SCTP packets go here. */
    public volatile ApplicationData applicationData;

    /**
     * An offer with one Opus and one VP8 m-line, both sendrecv, SSRCs declared (or rids, see {@link #simulcast}),
     * plus a data channel when {@link #applicationData} is set.
     */
    public String offer() {
        return new PeerSdp.Offer(credentials, certificate.fingerprint().toSdpValue(), streamId, audioSsrc, videoSsrc,
                rids, offerTmmbr, applicationData != null).write(random.nextLong() & Long.MAX_VALUE);
    }

    /** Connects to the SFU described by its answer: ICE check with USE-CANDIDATE, then DTLS, then SRTP. */
    public void connect(String answer) throws Exception {
        Matcher c = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ (127\\.0\\.0\\.1) (\\d+) typ host").matcher(answer);
        if (!c.find()) throw new IllegalArgumentException("no loopback candidate in the answer:\n" + answer);
        sfu = new InetSocketAddress(c.group(1), Integer.parseInt(c.group(2)));
        String ufrag = PeerSdp.find(answer, "a=ice-ufrag:(\\S+)");
        String pwd = PeerSdp.find(answer, "a=ice-pwd:(\\S+)");
        Fingerprint fingerprint = Fingerprint.parse(PeerSdp.find(answer, "a=fingerprint:([^\\r\\n]+)"));
        upstream = PeerSdp.Upstream.of(answer);
        receiver.start();
        dtls = new DtlsClientSession(certificate, List.of(fingerprint), this::sendRaw, new DtlsSession.Listener() {
            @Override
            public void onHandshakeComplete(SrtpProfile profile, SrtpKeys keys) {
                rxSrtp = new SrtpSession(profile, keys, false);
                srtpReady.complete(new SrtpSession(profile, keys, false));
            }

            @Override
            public void onFailed(FailureKind kind, String detail) {
                srtpReady.completeExceptionally(new IOException(kind + ": " + detail));
            }

            @Override
            public void onApplicationData(byte[] b, int off, int len) {
                ApplicationData sink = applicationData;
                if (sink != null) sink.receive(b, off, len);
            }

            @Override
            public void onClosed() {}
        });
        // Like any ICE agent, retransmit the check until it is answered (RFC 8445 §14.3).
        byte[] stun = new byte[512];
        byte[] tx = new byte[12];
        random.nextBytes(tx);
        Mac mac = StunMessages.integrityMac(pwd);
        int n = StunMessages.writeBindingRequest(stun, 0, tx, 0, ufrag + ":" + credentials.ufrag(),
                IceCandidates.priority(126, 65535, 1), random.nextLong(), true, mac);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            sendRaw(stun, 0, n);
        } while (!iceAnswered.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
        if (iceAnswered.getCount() > 0) throw new IOException("the SFU never answered our ICE check");
        dtls.start(dtlsThread);
        txSrtp = srtpReady.get(10, TimeUnit.SECONDS);
        feedbackTimer.scheduleAtFixedRate(this::sendFeedback, FEEDBACK_INTERVAL_MS, FEEDBACK_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        // Consent freshness (RFC 7675): a check every few seconds, or the SFU ends calls longer than its timeout.
        iceUsername = ufrag + ":" + credentials.ufrag();
        iceMac = mac;
        feedbackTimer.scheduleAtFixedRate(() -> checkNow(false), CONSENT_INTERVAL_MS, CONSENT_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Sends an ICE check at once (a consent check; with {@code nominate}, USE-CANDIDATE as a controlling agent does on
     * the path it moves to after a network change).
     */
    public void checkNow(boolean nominate) {
        byte[] check = new byte[512];
        byte[] id = new byte[12];
        random.nextBytes(id);
        synchronized (iceMac) {
            sendRaw(check, 0, StunMessages.writeBindingRequest(check, 0, id, 0, iceUsername,
                    IceCandidates.priority(126, 65535, 1), random.nextLong(), nominate, iceMac));
        }
    }

    /**
     * Sends one video packet of simulcast layer {@code rid}: mid and rid extensions as negotiated, and a fresh
     * transport-wide sequence number when the SFU accepted that extension.
     */
    public synchronized void sendVideo(String rid, int sequence, long timestamp, boolean marker, byte[] payload,
            int payloadLength) {
        int ssrc = ridSsrc(rid);
        PeerSdp.Upstream up = upstream;
        int tseq = up.transportCc() > 0 ? transportSequence.getAndIncrement() & 0xFFFF : 0;
        protectAndSend(PeerRtp.video(txBuffer, ssrc, sequence, timestamp, marker, up.transportCc(), tseq,
                up.mid(), up.rid(), rid, payload, payloadLength));
    }

    private void protectAndSend(int len) {
        int n = txSrtp.protectRtp(txBuffer, 0, len);
        if (n < 0) throw new IllegalStateException("SRTP protect failed: " + SrtpSession.describe(n));
        sendRaw(txBuffer, 0, n);
    }

    /** The timer's work as a receiver: transport-cc feedback (when negotiated) and NACKs for gaps. */
    private void sendFeedback() {
        if (closed) return;
        try {
            if (downstream.transportCc() > 0) {
                int n = ledger.writeTransportFeedback(feedbackBuffer, 0, rtcpSsrc);
                if (n > 0) sendRtcp(feedbackBuffer, n);
            }
            for (Map.Entry<Integer, int[]> e : ledger.dueNacks(System.nanoTime()).entrySet()) {
                int[] lost = e.getValue();
                int n = GenericNack.write(feedbackBuffer, 0, rtcpSsrc, e.getKey(), lost, lost.length);
                if (n > 0) {
                    sendRtcp(feedbackBuffer, n);
                    nacksSent.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            if (!closed) System.err.println("JavaPeer feedback: " + e);
        }
    }

    private synchronized void sendRtcp(byte[] packet, int len) {
        byte[] b = new byte[len + 64];
        System.arraycopy(packet, 0, b, 0, len);
        int m = txSrtp.protectRtcp(b, 0, len);
        if (m < 0) throw new IllegalStateException("SRTCP protect failed: " + SrtpSession.describe(m));
        sendRaw(b, 0, m);
    }

    /** Sends one DTLS application-data record (an SCTP packet, or anything a hostile client likes); any thread. */
    public boolean sendApplicationData(byte[] b, int off, int len) {
        DtlsClientSession d = dtls;
        return d != null && d.sendApplicationData(b, off, len);
    }

    /**
     * Sends one Opus-like audio packet: the ssrc-audio-level extension (when negotiated) with {@link #audioLevel},
     * and a payload of a TOC byte, a marker and our tag, so receivers can count what reached them from us.
     */
    public synchronized void sendAudio(int sequence, long timestamp, int payloadLength) {
        protectAndSend(PeerRtp.audio(txBuffer, audioSsrc, sequence, timestamp, upstream.audioLevel(), audioLevel, payloadLength));
    }

    /** Tagged audio packets ({@link #sendAudio}) we received from {@code sender}. */
    public long audioPacketsFrom(JavaPeer sender) {
        return audioTags.from(sender.audioSsrc);
    }

    /** Every audio packet we received, tagged or not (browsers' audio is untagged). */
    public long audioPacketsReceived() {
        return audioTags.all();
    }

    /** Tagged audio packets we received from anyone. */
    public long audioPackets() {
        return audioTags.tagged();
    }

    /** Sends one RTP packet with exactly this payload. */
    public synchronized void sendRtp(int ssrc, int payloadType, int sequence, long timestamp, boolean marker, byte[] payload) {
        protectAndSend(PeerRtp.plain(txBuffer, ssrc, payloadType, sequence, timestamp, marker, payload));
    }

    /** Asks the SFU for a key frame of the stream it sends us as {@code mediaSsrc} (a PLI, after an empty RR). */
    public synchronized void sendPli(int mediaSsrc) {
        byte[] b = new byte[128];
        int n = ReceiverReport.writeHeader(b, 0, rtcpSsrc, 0);
        n += Pli.write(b, n, rtcpSsrc, mediaSsrc);
        int m = txSrtp.protectRtcp(b, 0, n);
        if (m < 0) throw new IllegalStateException("SRTCP protect failed: " + SrtpSession.describe(m));
        sendRaw(b, 0, m);
    }

    /** When set, answers decline (port 0) every m-line the SFU sends on: a receiver that wants none of it. */
    public volatile boolean declineDownstream;

    /** Answers an SFU re-offer: accept every m-line, receive on the SFU's sendonly lines, keep sending on ours. */
    public String answerTo(String offer) {
        downstream = PeerSdp.Downstream.of(offer);
        String answer = PeerSdp.accepted(offer, credentials, certificate.fingerprint().toSdpValue());
        return declineDownstream ? PeerSdp.declined(answer) : answer;
    }

    private void sendRaw(byte[] b, int off, int len) {
        try {
            socket.send(new DatagramPacket(b, off, len, sfu));
        } catch (IOException e) {
            if (!closed) throw new java.io.UncheckedIOException(e);
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            int len = p.getLength();
            switch (PacketKind.of(buf, 0, len)) {
                case DTLS -> {
                    DtlsClientSession d = dtls;
                    if (d != null) d.receive(buf, 0, len);
                }
                case RTP_OR_RTCP -> {
                    SrtpSession s = rxSrtp;
                    if (s == null) continue;
                    if (RtpPacket.isRtcp(buf, 0, len)) {
                        int n = s.unprotectRtcp(buf, 0, len);
                        if (n > 0 && rtcp.reset(buf, 0, n) >= 0) {
                            while (rtcp.next()) requests.onRtcp(buf, rtcp.offset(), rtcp.length(), rtcp.kind());
                        }
                        continue;
                    }
                    int n = s.unprotectRtp(buf, 0, len);
                    if (n < 0 || RtpPacket.validate(buf, 0, n) < 0) continue;
                    long now = System.nanoTime();
                    RtpWatch watch = rtpWatch;
                    if (watch != null) watch.onRtp(RtpPacket.ssrc(buf, 0), now);
                    int off = RtpPacket.payloadOffset(buf, 0);
                    int payloadLength = RtpPacket.payloadLength(buf, 0, n);
                    PeerSdp.Downstream down = downstream;
                    int tcc = down.transportCc();
                    if (tcc > 0) {
                        int tseq = HeaderExtensions.transportWideSequence(buf, 0, n, tcc);
                        if (tseq >= 0) ledger.onTransportSequence(tseq, now);
                    }
                    int pt = RtpPacket.payloadType(buf, 0);
                    int ssrc = RtpPacket.ssrc(buf, 0);
                    Integer repairs = down.rtxApt().get(pt);
                    if (repairs != null && payloadLength >= 2) {
                        rtxReceived.incrementAndGet();
                        int osn = ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
                        ledger.onMedia(down.rtxMedia().getOrDefault(ssrc, ssrc), osn, buf, off + 2, payloadLength - 2, true, now);
                        continue;
                    }
                    if (pt == AUDIO_PT) audioTags.count(buf, off, payloadLength);
                    if (pt == VIDEO_PT) ledger.onMedia(ssrc, RtpPacket.sequence(buf, 0), buf, off, payloadLength, false, now);
                    if (!keepPackets) continue;
                    byte[] payload = java.util.Arrays.copyOfRange(buf, off, off + payloadLength);
                    received.add(new Received(ssrc, RtpPacket.sequence(buf, 0), RtpPacket.timestamp(buf, 0), pt, payload));
                }
                case STUN -> iceAnswered.countDown();
                default -> { }
            }
        }
    }

    /** Goes silent without a word (no DTLS close_notify): a crashed client or a cut network, as the SFU sees it. */
    public void vanish() {
        closed = true;
        socket.close();
        dtlsThread.shutdownNow();
        feedbackTimer.shutdownNow();
    }

    /**
     * Hangs up as a browser closing its RTCPeerConnection does: DTLS close_notify first (waits until it went out,
     * at most {@code timeoutMs}), then everything else.
     */
    public void hangUp(long timeoutMs) throws InterruptedException {
        DtlsClientSession d = dtls;
        if (d != null) {
            d.close();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (d.state() != DtlsSession.State.CLOSED && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(5);
        }
        close();
    }

    @Override
    public void close() {
        closed = true;
        if (dtls != null) dtls.close();
        socket.close();
        dtlsThread.shutdownNow();
        feedbackTimer.shutdownNow();
    }
}
