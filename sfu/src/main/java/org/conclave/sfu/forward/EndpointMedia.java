package org.conclave.sfu.forward;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import org.conclave.sfu.bwe.ArrivalRecorder;
import org.conclave.sfu.bwe.DownlinkEstimate;
import org.conclave.sfu.bwe.EstimatorOptions;
import org.conclave.sfu.bwe.Prober;
import org.conclave.sfu.bwe.SendSideEstimator;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.rtp.Bytes;
import org.conclave.sfu.rtp.HeaderExtensions;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * The packet thread's state of one endpoint (one client connection). Every field is written by the packet thread
 * only, except {@link #sendAddress}, which the DTLS thread reads to send handshake records.
 */
public final class EndpointMedia {
    /** A client rarely uses more than a couple of addresses; more is a sign of abuse. */
    static final int MAX_ADDRESSES = 8;
    /** {@link #protectForwarded}'s transport-cc offset when the packet has no such element, or when it must be found. */
    static final int NO_TRANSPORT_CC = -1;
    static final int FIND_TRANSPORT_CC = -2;
    private static final IncomingStream[] NO_INCOMING = new IncomingStream[0];
    private static final SourceRoute[] NO_ROUTES = new SourceRoute[0];
    private static final OutgoingStream[] NO_OUTGOING = new OutgoingStream[0];

    final String id;
    final String conferenceId;
    final String localUfrag;
    final IceLiteAgent ice;
    final int rtcpSsrc;
    final ArrayDeque<InetSocketAddress> addresses = new ArrayDeque<>();
    volatile InetSocketAddress sendAddress;
    /** Its ICE-TCP connections ({@link TcpLinks}), capped per endpoint. */
    int tcpConnections;

    public InetSocketAddress sendAddress() {
        return sendAddress;
    }
    DtlsServerSession dtls;
    /** STUN binding requests from addresses not yet validated, and DTLS datagrams before SRTP keys (floods). */
    PacketBudget stunBudget = new PacketBudget(org.conclave.sfu.config.SfuConfig.DEFAULT_HANDSHAKE_PACKETS_PER_SECOND);
    PacketBudget dtlsBudget = new PacketBudget(org.conclave.sfu.config.SfuConfig.DEFAULT_HANDSHAKE_PACKETS_PER_SECOND);
    SrtpSession srtp;
    /** Set when its conference requires end-to-end encryption: the check of its media. */
    org.conclave.sfu.e2ee.E2eeGuard e2ee;
    boolean failed;
    /** Muted by a host: its audio is not forwarded. */
    boolean audioMuted;
    /** Held in a waiting room: no media in or out. */
    boolean held;
    /** This endpoint's downlink, from its REMB and transport-cc feedback. */
    final DownlinkEstimate downlink;
    /** Last downlink estimate used for allocation, bit/s; -1 unknown. */
    long downlinkBps = -1;
    /** Probes its downlink while rate control holds it on a thumbnail. */
    final Prober prober = new Prober(RateControl.PROBE_INTERVAL_MS,
            RateControl.PROBE_DURATION_MS);
    /** Highest acknowledged rate seen during the current probe, bit/s. */
    long probeMaxAckedBps;
    /** Its upstream transport-wide-cc id (0 when not negotiated) and the arrivals we report back to it. */
    int transportCcExtensionId;
    ArrivalRecorder arrivals;
    long nextTransportFeedbackNanos;
    /** Smoothed round-trip time from its report blocks, ms; -1 before one. */
    long rttMillis = -1;
    /** RTP bytes sent to it, and the rate they make (measured with the layer bitrates). */
    long rtpBytesSent;
    long rtpBytesAtLastRate;
    long sendBitrateBps;
    /** RFC 6464 levels of its audio since the last report: sum of -dBov and count. */
    long audioLevelSum;
    int audioLevelCount;

    /** Upstream sources by m-line, and the MID header extension id per m-line's extension map. */
    SourceRoute[] routes = NO_ROUTES;
    /** mid extension id of the client's upstream m-lines (BUNDLE demux by MID), 0 when not negotiated. */
    int midExtensionId;
    IncomingStream[] incoming = NO_INCOMING;
    OutgoingStream[] outgoing = NO_OUTGOING;
    long lastReceiverReportNanos;

    // Counters: written and read by the packet thread only (MediaSample copies them there).
    long rtpReceived;
    long rtcpReceived;
    long rtpSent;
    /** SRTP/SRTCP from it that did not decrypt or authenticate (what could not be encrypted for it: WorkerStats). */
    long srtpErrors;
    long unknownSsrcDrops;
    long malformedDrops;

    public EndpointMedia(String id, String conferenceId, String localUfrag, IceLiteAgent ice, int rtcpSsrc) {
        this(id, conferenceId, localUfrag, ice, rtcpSsrc, EstimatorOptions.DEFAULTS);
    }

    public EndpointMedia(String id, String conferenceId, String localUfrag, IceLiteAgent ice, int rtcpSsrc,
            EstimatorOptions estimatorOptions) {
        this.downlink = new DownlinkEstimate(estimatorOptions, true);
        this.id = id;
        this.conferenceId = conferenceId;
        this.localUfrag = localUfrag;
        this.ice = ice;
        this.rtcpSsrc = rtcpSsrc;
    }

    public String id() {
        return id;
    }

    /** Before the endpoint is handed to its packet thread: its handshake packets per second ({@link PacketBudget}). */
    public void limitHandshakePackets(int perSecond) {
        stunBudget = new PacketBudget(perSecond);
        dtlsBudget = new PacketBudget(perSecond);
    }

    /** Whether media and RTCP can go to it now: keys installed, an address validated, not failed. */
    boolean canSend() {
        return srtp != null && sendAddress != null && !failed;
    }

    /**
     * Makes the RTP packet in {@code b} ready to leave towards this receiver: stamps its own transport-wide sequence
     * where the receiver negotiated one on this m-line (at {@code transportCcAt}, the sender's element renumbered in
     * place, or looked up with {@link #FIND_TRANSPORT_CC}), then encrypts. @return the protected length, or -1 (counted
     * in {@code stats})
     */
    int protectForwarded(byte[] b, OutgoingStream out, int len, int transportCcAt, long now, WorkerStats stats) {
        SendSideEstimator estimator = downlink.sendSide();
        boolean stamped = false;
        if (out.transportCcId > 0 && estimator != null) {
            if (transportCcAt >= 0) {
                Bytes.putUint16(b, transportCcAt, estimator.nextSequence());
                stamped = true;
            } else if (transportCcAt == FIND_TRANSPORT_CC) {
                stamped = HeaderExtensions.setTransportWideSequence(b, 0, len, out.transportCcId,
                        estimator.nextSequence());
            }
        }
        int m = srtp.protectRtp(b, 0, len);
        if (m < 0) {
            stats.srtpProtectDrops++;
            return -1;
        }
        if (stamped) estimator.onPacketSent(m, now);
        rtpSent++;
        rtpBytesSent += m;
        return m;
    }

    /** Encrypts the {@code len}-byte RTCP compound in {@code b} for it. @return its SRTCP length, or < 0 (counted) */
    int protectRtcp(byte[] b, int len, WorkerStats stats) {
        int m = srtp.protectRtcp(b, 0, len);
        if (m < 0) stats.srtpProtectDrops++;
        return m;
    }

    IncomingStream incoming(int ssrc) {
        for (IncomingStream s : incoming) {
            if (s.ssrc == ssrc) return s;
        }
        return null;
    }

    void addIncoming(IncomingStream s) {
        IncomingStream[] next = Arrays.copyOf(incoming, incoming.length + 1);
        next[next.length - 1] = s;
        incoming = next;
    }

    /** Remembers {@code from} (validated by ICE) as one of its addresses; @return one that was forgotten, or null */
    InetSocketAddress addAddress(InetSocketAddress from) {
        addresses.addLast(from);
        return addresses.size() > MAX_ADDRESSES ? addresses.pollFirst() : null;
    }

    /** An RFC 6464 level of its audio (0 loudest .. 127 silent), summed for the next speaker report. */
    void addAudioLevel(int level) {
        audioLevelSum += level;
        audioLevelCount++;
    }

    /** Its m-line went away: the streams it sent on it, and their SRTP contexts (incl. RTX), are forgotten. */
    void removeIncoming(SourceRoute route) {
        forgetIncoming(s -> s.route == route);
    }

    /**
     * A new SSRC took over a single-layer m-line or a simulcast layer: the old stream and its RTX are forgotten with
     * their SRTP contexts, or a client restarting its track again and again would fill its
     * {@link SrtpSession#MAX_INBOUND_STREAMS}.
     */
    void replaceIncoming(int oldSsrc) {
        IncomingStream old = incoming(oldSsrc);
        if (old != null) forgetIncoming(s -> s == old || s.repairs == old);
    }

    private void forgetIncoming(java.util.function.Predicate<IncomingStream> gone) {
        for (IncomingStream s : incoming) {
            if (gone.test(s) && srtp != null) srtp.forgetInbound(s.ssrc);
        }
        incoming = Arrays.stream(incoming).filter(gone.negate()).toArray(IncomingStream[]::new);
    }

    OutgoingStream outgoingBySsrc(int ssrc) {
        for (OutgoingStream s : outgoing) {
            if (s.outSsrc == ssrc) return s;
        }
        return null;
    }

    SourceRoute routeByMid(String mid) {
        for (SourceRoute r : routes) {
            if (r.source.mid().equals(mid)) return r;
        }
        return null;
    }

    /** The route whose mid equals the bytes of a MID header extension, without making a String. */
    SourceRoute routeByMid(byte[] b, int off, int len) {
        outer:
        for (SourceRoute r : routes) {
            byte[] mid = r.midBytes;
            if (mid.length != len) continue;
            for (int i = 0; i < len; i++) {
                if (mid[i] != b[off + i]) continue outer;
            }
            return r;
        }
        return null;
    }

    SourceRoute routeDeclaring(int ssrc) {
        for (SourceRoute r : routes) {
            for (long s : r.source.declaredSsrcs()) {
                if ((int) s == ssrc) return r;
            }
            for (Long rtx : r.source.rtxSsrcs().keySet()) {
                if (rtx.intValue() == ssrc) return r;
            }
        }
        return null;
    }
}
