package org.conclave.tests.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.conclave.sfu.rtcp.Pli;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.RtcpCompound;
import org.conclave.sfu.rtcp.RtcpKind;
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

    /** One received, decrypted RTP packet. */
    public record Received(int ssrc, int sequence, long timestamp, int payloadType, byte[] payload) {}

    private final SecureRandom random = new SecureRandom();
    private final DatagramSocket socket;
    private final IceCredentials credentials = IceCredentials.random();
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService dtlsThread = Executors.newSingleThreadExecutor(r -> daemon(r, "peer-dtls"));
    private final Thread receiver;
    private final CompletableFuture<SrtpSession> srtpReady = new CompletableFuture<>();
    private final java.util.concurrent.CountDownLatch iceAnswered = new java.util.concurrent.CountDownLatch(1);
    public final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    public final int audioSsrc = random.nextInt();
    public final int videoSsrc = random.nextInt();
    private volatile InetSocketAddress sfu;
    private volatile DtlsClientSession dtls;
    private volatile boolean closed;
    private volatile SrtpSession rxSrtp;
    private final byte[] txBuffer = new byte[2048];
    private final RtcpCompound rtcp = new RtcpCompound();
    /** PLI and FIR packets the SFU sent us (we are a sender it asks for key frames). */
    public final java.util.concurrent.atomic.AtomicInteger keyFrameRequests = new java.util.concurrent.atomic.AtomicInteger();
    private final int rtcpSsrc = random.nextInt();
    private SrtpSession txSrtp;

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

    /** SCTP packets (DTLS application data) the SFU sends us; set before {@link #connect}. */
    @FunctionalInterface
    public interface ApplicationData {
        void receive(byte[] b, int off, int len);
    }

    /** When set, the offer also has a data channel m-line (mid 2) and the SFU's SCTP packets go here. */
    public volatile ApplicationData applicationData;

    /** An offer with one Opus and one VP8 m-line, both sendrecv, SSRCs declared (plus a data channel, see above). */
    public String offer() {
        String fp = "a=fingerprint:" + certificate.fingerprint().toSdpValue();
        boolean data = applicationData != null;
        List<String> l = new ArrayList<>(List.of("v=0", "o=- " + (random.nextLong() & Long.MAX_VALUE) + " 1 IN IP4 127.0.0.1",
                "s=-", "t=0 0", "a=group:BUNDLE 0 1" + (data ? " 2" : ""), "a=msid-semantic: WMS javapeer"));
        l.addAll(List.of("m=audio 9 UDP/TLS/RTP/SAVPF " + AUDIO_PT, "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:" + credentials.ufrag(), "a=ice-pwd:" + credentials.pwd(), fp, "a=setup:actpass",
                "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:" + AUDIO_PT + " opus/48000/2",
                "a=msid:javapeer audio", "a=ssrc:" + Integer.toUnsignedString(audioSsrc) + " cname:javapeer"));
        l.addAll(List.of("m=video 9 UDP/TLS/RTP/SAVPF " + VIDEO_PT, "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:" + credentials.ufrag(), "a=ice-pwd:" + credentials.pwd(), fp, "a=setup:actpass",
                "a=mid:1", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:" + VIDEO_PT + " VP8/90000",
                "a=rtcp-fb:" + VIDEO_PT + " nack pli", "a=msid:javapeer video",
                "a=ssrc:" + Integer.toUnsignedString(videoSsrc) + " cname:javapeer"));
        if (data) {
            l.addAll(List.of("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0",
                    "a=ice-ufrag:" + credentials.ufrag(), "a=ice-pwd:" + credentials.pwd(), fp, "a=setup:actpass",
                    "a=mid:2", "a=sctp-port:5000", "a=max-message-size:262144"));
        }
        return String.join("\r\n", l) + "\r\n";
    }

    /** Connects to the SFU described by its answer: ICE check with USE-CANDIDATE, then DTLS, then SRTP. */
    public void connect(String answer) throws Exception {
        Matcher c = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ (127\\.0\\.0\\.1) (\\d+) typ host").matcher(answer);
        if (!c.find()) throw new IllegalArgumentException("no loopback candidate in the answer:\n" + answer);
        sfu = new InetSocketAddress(c.group(1), Integer.parseInt(c.group(2)));
        String ufrag = find(answer, "a=ice-ufrag:(\\S+)");
        String pwd = find(answer, "a=ice-pwd:(\\S+)");
        Fingerprint fingerprint = Fingerprint.parse(find(answer, "a=fingerprint:([^\\r\\n]+)"));
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
    }

    /** Sends one DTLS application-data record (an SCTP packet, or anything a hostile client likes); any thread. */
    public boolean sendApplicationData(byte[] b, int off, int len) {
        DtlsClientSession d = dtls;
        return d != null && d.sendApplicationData(b, off, len);
    }

    /** Sends one RTP packet with exactly this payload. */
    public synchronized void sendRtp(int ssrc, int payloadType, int sequence, long timestamp, boolean marker, byte[] payload) {
        byte[] b = txBuffer;
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        RtpPacket.setSequence(b, 0, sequence);
        RtpPacket.setTimestamp(b, 0, timestamp);
        RtpPacket.setSsrc(b, 0, ssrc);
        System.arraycopy(payload, 0, b, 12, payload.length);
        int n = txSrtp.protectRtp(b, 0, 12 + payload.length);
        if (n < 0) throw new IllegalStateException("SRTP protect failed: " + SrtpSession.describe(n));
        sendRaw(b, 0, n);
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
        if (declineDownstream) return declined(accepted(offer));
        return accepted(offer);
    }

    private static String declined(String answer) {
        StringBuilder out = new StringBuilder();
        for (String section : answer.split("(?=\r\nm=)")) {
            if (section.contains("\r\na=recvonly") && section.startsWith("\r\nm=")) {
                section = section.replaceFirst("^\\r\\nm=(\\w+) \\d+", "\r\nm=$1 0");
            }
            out.append(section);
        }
        return out.toString();
    }

    private String accepted(String offer) {
        List<String> out = new ArrayList<>();
        String fp = "a=fingerprint:" + certificate.fingerprint().toSdpValue();
        for (String line : offer.split("\r\n")) {
            if (line.equals("a=ice-lite") || line.startsWith("a=candidate:") || line.equals("a=end-of-candidates")
                    || line.startsWith("a=ssrc") || line.startsWith("a=msid:")) {
                continue;
            }
            if (line.startsWith("a=ice-ufrag:")) line = "a=ice-ufrag:" + credentials.ufrag();
            else if (line.startsWith("a=ice-pwd:")) line = "a=ice-pwd:" + credentials.pwd();
            else if (line.startsWith("a=fingerprint:")) line = fp;
            else if (line.startsWith("a=setup:")) line = "a=setup:active";
            else if (line.equals("a=sendonly")) line = "a=recvonly";
            else if (line.equals("a=recvonly")) line = "a=sendonly";
            out.add(line);
        }
        return String.join("\r\n", out) + "\r\n";
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
                            while (rtcp.next()) {
                                if (rtcp.kind() == RtcpKind.PLI || rtcp.kind() == RtcpKind.FIR) keyFrameRequests.incrementAndGet();
                            }
                        }
                        continue;
                    }
                    int n = s.unprotectRtp(buf, 0, len);
                    if (n < 0 || RtpPacket.validate(buf, 0, n) < 0) continue;
                    int off = RtpPacket.payloadOffset(buf, 0);
                    byte[] payload = java.util.Arrays.copyOfRange(buf, off, off + RtpPacket.payloadLength(buf, 0, n));
                    received.add(new Received(RtpPacket.ssrc(buf, 0), RtpPacket.sequence(buf, 0),
                            RtpPacket.timestamp(buf, 0), RtpPacket.payloadType(buf, 0), payload));
                }
                case STUN -> iceAnswered.countDown();
                default -> { }
            }
        }
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) throw new IllegalArgumentException("missing " + regex);
        return m.group(1).trim();
    }

    @Override
    public void close() {
        closed = true;
        if (dtls != null) dtls.close();
        socket.close();
        dtlsThread.shutdownNow();
    }
}
