package org.conclave.sfu.sctp;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.sctp.chunk.AbortChunk;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.ChunkType;
import org.conclave.sfu.sctp.chunk.CookieAckChunk;
import org.conclave.sfu.sctp.chunk.CookieEchoChunk;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ErrorChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.HeartbeatChunk;
import org.conclave.sfu.sctp.chunk.InitChunk;
import org.conclave.sfu.sctp.chunk.ReConfigChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.conclave.sfu.sctp.chunk.SctpFormatException;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.sfu.sctp.chunk.ShutdownAckChunk;
import org.conclave.sfu.sctp.chunk.ShutdownChunk;
import org.conclave.sfu.sctp.chunk.ShutdownCompleteChunk;
import org.conclave.sfu.sctp.chunk.UnknownChunk;
import org.conclave.sfu.sctp.dcep.Ppid;

/**
 * One SCTP association over DTLS (RFC 8261) carrying WebRTC data channels (RFC 8831, DCEP RFC 8832). Either side may
 * {@link #connect}; an association that has not also accepts the peer's INIT, and simultaneous INITs meet as in RFC
 * 9260 §5.2. Single-threaded and passive: the caller (the endpoint's DTLS thread) feeds it packets with
 * {@link #receive}, calls {@link #onTimer} at {@link #nextTimeout}, and uses channels only on that thread. Packets go
 * out synchronously through {@link PacketOut}. Listener callbacks run inside these calls and must not throw; they may
 * send, open and close channels.
 */
public final class SctpAssociation {
    /** Streams we announce in each direction; stream ids (and so channels) stay below this. */
    public static final int MAX_STREAMS = 1024;
    static final int MAX_INIT_RETRANSMITS = 8;
    /** Association.Max.Retrans of RFC 9260 §16: consecutive unanswered retransmissions before giving up. */
    static final int MAX_ASSOCIATION_RETRANSMITS = 10;
    static final int MAX_REPORTED_CHUNK_BYTES = 256;

    /** Where finished SCTP packets go: the DTLS session, as application data. The buffer is reused after return. */
    @FunctionalInterface
    public interface PacketOut {
        void send(byte[] b, int off, int len);
    }

    /** Events of the association and its channels, delivered on the driving thread. */
    public interface Listener {
        /** A channel is usable: the peer opened it, or acknowledged one we opened. */
        default void onChannelOpen(DataChannel channel) {
        }

        /** A whole message; {@code binary} false means UTF-8 text. */
        default void onMessage(DataChannel channel, byte[] data, boolean binary) {
        }

        /** Both directions of the channel's stream are reset, or the association went down. */
        default void onChannelClosed(DataChannel channel) {
        }

        default void onAssociationUp() {
        }

        /** Once, when the association ends for any reason (after the channels' onChannelClosed). */
        default void onAssociationDown(String reason) {
        }
    }

    /** RFC 9260 §4 states, plus TERMINATED: this object is done and ignores everything. */
    public enum State {
        CLOSED, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_SENT, SHUTDOWN_RECEIVED,
        SHUTDOWN_ACK_SENT, TERMINATED
    }

    private final SctpSettings settings;
    private final NanoClock clock;
    private final Listener listener;
    private final Handshake handshake;
    private final Heartbeat heartbeat;
    private final Outbox control;
    private final Channels channels;
    private final RtoEstimator rto = new RtoEstimator();
    private final Timer t1 = new Timer();
    private final Timer t2 = new Timer();
    private State state = State.CLOSED;
    private int myTag;
    private int peerTag;
    private int myInitialTsn;
    private InitChunk sentInit;
    private byte[] cookieToEcho;
    private Tcb tcb;
    private int errorCount;
    private boolean processing;
    private long malformedPackets;

    public SctpAssociation(SctpSettings settings, CookieSigner cookies, NanoClock clock, PacketOut out,
                           Listener listener) {
        this(settings, cookies, clock, out, listener, new SecureRandom());
    }

    /** With a chosen source of tags, initial TSNs and heartbeat nonces (tests want them reproducible). */
    SctpAssociation(SctpSettings settings, CookieSigner cookies, NanoClock clock, PacketOut out, Listener listener,
                    RandomGenerator random) {
        this.handshake = new Handshake(cookies, random);
        this.heartbeat = new Heartbeat(random);
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.control = new Outbox(settings, out);
        this.channels = new Channels(this, listener, settings.dtlsServer());
    }

    // ---------------------------------------------------------------- public API

    /** Sends INIT (active open). Only in CLOSED; the peer may also connect, which is fine. */
    public void connect() {
        if (state != State.CLOSED) throw new IllegalStateException("connect() in " + state);
        long now = clock.nanoTime();
        myTag = handshake.newTag();
        myInitialTsn = handshake.newTsn();
        sentInit = handshake.init(myTag, myInitialTsn);
        state = State.COOKIE_WAIT;
        t1.reset();
        t1.start(now, RtoEstimator.INITIAL_NANOS);
        control.sendAlone(0, sentInit);
    }

    /** One SCTP packet, as decrypted from a DTLS application-data record. Never throws on bad input. */
    public void receive(byte[] b, int off, int len, long now) {
        if (state == State.TERMINATED) return;
        SctpPacket p;
        try {
            p = SctpPacket.parse(b, off, len);
        } catch (SctpFormatException e) {
            malformedPackets++;
            return;
        }
        if (p.destinationPort() != settings.localPort() || p.sourcePort() != settings.remotePort()) {
            malformedPackets++;
            return;
        }
        processing = true;
        try {
            handle(p, now);
        } finally {
            processing = false;
        }
        flush(now);
    }

    /** Runs the timers that are due at {@code now}. */
    public void onTimer(long now) {
        if (state == State.TERMINATED) return;
        processing = true;
        try {
            timers(now);
        } finally {
            processing = false;
        }
        flush(now);
    }

    /** When {@link #onTimer} should next run (nanoTime), or {@link Long#MAX_VALUE} if no timer is armed. */
    public long nextTimeout() {
        if (state == State.TERMINATED) return Long.MAX_VALUE;
        long t = Math.min(t1.deadline(), t2.deadline());
        t = Math.min(t, Math.min(heartbeat.next.deadline(), heartbeat.ackWait.deadline()));
        return tcb == null ? t : Math.min(t, tcb.nextTimeout());
    }

    /**
     * Opens a data channel of ours (odd stream ids when we are the DTLS server) by sending DATA_CHANNEL_OPEN.
     *
     * @throws IllegalStateException when the association is not ESTABLISHED or no stream id is free
     */
    public DataChannel open(String label, ChannelOptions options) {
        if (state != State.ESTABLISHED) throw new IllegalStateException("open() in " + state);
        DataChannel ch = channels.open(label, options, Math.min(tcb.outboundStreams, tcb.inboundStreams));
        if (ch == null) throw new IllegalStateException("no free stream id");
        return ch;
    }

    /** Graceful close (RFC 9260 §9.2): queued data is delivered first, then SHUTDOWN. */
    public void shutdown() {
        switch (state) {
            case CLOSED, COOKIE_WAIT, COOKIE_ECHOED -> terminate("shutdown before establishment");
            case ESTABLISHED -> {
                state = State.SHUTDOWN_PENDING;
                shutdownProgress(clock.nanoTime());
                flush(clock.nanoTime());
            }
            default -> { }
        }
    }

    /** Sends ABORT (if the peer is known) and ends the association at once. */
    public void abort(String reason) {
        if (state == State.TERMINATED) return;
        if (peerKnown()) control.sendAlone(peerTag, new AbortChunk(false, List.of(ErrorCause.userAbort(reason))));
        terminate(reason);
    }

    public State state() {
        return state;
    }

    public SctpSettings settings() {
        return settings;
    }

    /** Open (or opening, or closing) channels. */
    public int channelCount() {
        return channels.count();
    }

    public DataChannel channel(int streamId) {
        return channels.get(streamId);
    }

    /** User bytes queued or unacknowledged towards the peer. */
    public long bufferedSendBytes() {
        return tcb == null ? 0 : tcb.sender.bufferedBytes();
    }

    /** Bytes held for reassembly or ordering. */
    public int bufferedReceiveBytes() {
        return tcb == null ? 0 : tcb.receiver.reassembly.bufferedBytes();
    }

    /** Packets dropped for a bad checksum, bad ports or bad format. */
    public long malformedPackets() {
        return malformedPackets;
    }

    /** Messages dropped: malformed DCEP, deprecated partial PPIDs 52/54, unknown PPIDs, no channel. */
    public long rejectedMessages() {
        return channels.rejectedMessages();
    }

    // ---------------------------------------------------------------- used by Channels

    boolean canSendOn(int sid) {
        return tcb != null && sid < tcb.outboundStreams;
    }

    /** DCEP messages bypass the send-buffer limit: at most one OPEN or ACK per channel. */
    void sendDcep(int sid, byte[] message) {
        if (!canSendOn(sid) || !sendingAllowed()) return;
        tcb.sender.enqueue(new OutgoingMessage(sid, Ppid.DCEP, message, false, OutgoingMessage.UNLIMITED, Long.MAX_VALUE));
        flush(clock.nanoTime());
    }

    boolean sendUser(int sid, int ppid, byte[] data, boolean unordered, int maxRetransmits, long lifetimeMillis) {
        if (!sendingAllowed() || !canSendOn(sid) || data.length > settings.maxSendMessageSize()) return false;
        if (!tcb.sender.hasRoom(data.length)) return false;
        long now = clock.nanoTime();
        long expiresAt = lifetimeMillis >= 0 ? now + TimeUnit.MILLISECONDS.toNanos(lifetimeMillis) : Long.MAX_VALUE;
        if (!tcb.peerForwardTsn) {
            maxRetransmits = OutgoingMessage.UNLIMITED;
            expiresAt = Long.MAX_VALUE;
        }
        tcb.sender.enqueue(new OutgoingMessage(sid, ppid, data, unordered, maxRetransmits, expiresAt));
        flush(now);
        return true;
    }

    /** Asks for an outgoing stream reset; false when the peer cannot do RE-CONFIG (nothing to wait for then). */
    boolean resetOutgoing(int sid) {
        if (!sendingAllowed() || !tcb.peerReconfig) return false;
        tcb.resets.request(sid);
        flush(clock.nanoTime());
        return true;
    }

    // ---------------------------------------------------------------- introspection for tests

    int outstandingChunks() {
        return tcb == null ? 0 : tcb.sender.outstandingChunks();
    }

    int queuedMessages() {
        return tcb == null ? 0 : tcb.sender.queuedMessages();
    }

    int reassemblyPieces() {
        return tcb == null ? 0 : tcb.receiver.reassembly.bufferedPieces();
    }

    int trackedOutOfOrderTsns() {
        return tcb == null ? 0 : tcb.receiver.tracker.outOfOrderCount();
    }

    int controlQueueLength() {
        return control.size();
    }

    int pendingResets() {
        return tcb == null ? 0 : tcb.resets.pendingCount();
    }

    RtoEstimator rto() {
        return rto;
    }

    int localTag() {
        return myTag;
    }

    /** The peer's TSN we have cumulatively received. */
    int peerCumulativeTsn() {
        return tcb == null ? 0 : tcb.receiver.cumulativeTsn();
    }

    DataSender sender() {
        return tcb == null ? null : tcb.sender;
    }

    // ---------------------------------------------------------------- packet handling

    private void handle(SctpPacket p, long now) {
        List<Chunk> chunks = p.chunks();
        if (chunks.isEmpty()) return;
        Chunk first = chunks.get(0);
        int vtag = p.verificationTag();
        if (first instanceof InitChunk init && !init.ack()) {
            if (chunks.size() == 1 && vtag == 0) onInit(init, now); // §8.5.1 A: INIT travels alone with tag 0
            return;
        }
        for (Chunk c : chunks) if (c instanceof InitChunk i && !i.ack()) return;
        if (first instanceof CookieEchoChunk) {
            // the tag is checked against the cookie
        } else if (first instanceof AbortChunk a && a.reflected()
                || first instanceof ShutdownCompleteChunk sc && sc.reflected()) {
            if (!peerKnown() || vtag != peerTag) return;
        } else if (state == State.CLOSED) {
            if (first instanceof ShutdownAckChunk) control.sendAlone(vtag, new ShutdownCompleteChunk(true)); // §8.4 (5)
            return;
        } else if (vtag != myTag) {
            return;
        }
        control.newPacket();
        boolean data = false;
        for (int i = 0; i < chunks.size() && state != State.TERMINATED; i++) {
            Chunk c = chunks.get(i);
            if (c instanceof CookieEchoChunk echo) {
                if (i != 0 || !onCookieEcho(echo, vtag, now)) return;
                continue;
            }
            if (state == State.CLOSED) return;
            if (c instanceof DataChunk d) {
                if (acceptsData()) {
                    data = true;
                    onData(d);
                }
            } else if (c instanceof SackChunk s) {
                if (established()) onSack(s, now);
            } else if (c instanceof InitChunk initAck) {
                onInitAck(initAck, now);
            } else if (c instanceof HeartbeatChunk hb) {
                onHeartbeat(hb, now);
            } else if (c instanceof AbortChunk a) {
                terminate("peer aborted" + (a.causes().isEmpty() ? "" : ": " + a.causes().get(0).describe()));
            } else if (c instanceof ShutdownChunk s) {
                onShutdown(s, now);
            } else if (c instanceof ShutdownAckChunk) {
                onShutdownAck();
            } else if (c instanceof ShutdownCompleteChunk) {
                if (state == State.SHUTDOWN_ACK_SENT) terminate("shutdown");
            } else if (c instanceof ErrorChunk e) {
                onError(e, now);
            } else if (c instanceof CookieAckChunk) {
                if (state == State.COOKIE_ECHOED) becomeEstablished(now);
            } else if (c instanceof ForwardTsnChunk f) {
                if (acceptsData()) tcb.receiver.onForwardTsn(f);
            } else if (c instanceof ReConfigChunk r) {
                if (established()) onReConfig(r, now);
            } else if (c instanceof UnknownChunk u) {
                if (u.action().reports() && peerKnown() && u.length() <= MAX_REPORTED_CHUNK_BYTES) {
                    control.report(ErrorCause.unrecognizedChunk(u.raw()));
                }
                if (u.action().stops()) break;
            }
        }
        if (data && state != State.TERMINATED) tcb.receiver.endOfDataPacket(now);
    }

    private void onInit(InitChunk init, long now) {
        if (init.initiateTag() == 0) return; // nowhere to send an ABORT
        ErrorCause invalid = Handshake.invalid(init);
        if (invalid != null) {
            control.sendAlone(init.initiateTag(), new AbortChunk(false, List.of(invalid)));
            return;
        }
        InitChunk ack = handshake.initAck(init, state, myTag, myInitialTsn, peerTag, now);
        if (ack != null) control.sendAlone(init.initiateTag(), ack);
    }

    private void onInitAck(InitChunk ack, long now) {
        if (state != State.COOKIE_WAIT) return; // §5.2.3: discard elsewhere
        ErrorCause invalid = Handshake.invalid(ack);
        if (invalid != null) {
            if (ack.initiateTag() != 0) control.sendAlone(ack.initiateTag(), new AbortChunk(false, List.of(invalid)));
            terminate("invalid INIT-ACK");
            return;
        }
        peerTag = ack.initiateTag();
        createTcb(ack.initialTsn(), ack.aRwnd(), ack.outboundStreams(), ack.inboundStreams(),
                Handshake.supportsForwardTsn(ack), ack.supportsExtension(ChunkType.RE_CONFIG));
        cookieToEcho = ack.stateCookie();
        state = State.COOKIE_ECHOED;
        t1.reset();
        t1.start(now, RtoEstimator.INITIAL_NANOS);
        control.add(new CookieEchoChunk(cookieToEcho));
        List<byte[]> unrecognized = Handshake.reportable(ack.unrecognizedParameters());
        if (!unrecognized.isEmpty()) {
            control.add(new ErrorChunk(List.of(ErrorCause.unrecognizedParameters(unrecognized))));
        }
    }

    /** §5.1 D and §5.2.4; true if the association now exists and the rest of the packet may be processed. */
    private boolean onCookieEcho(CookieEchoChunk echo, int vtag, long now) {
        Handshake.Echo e = handshake.checkEcho(echo.cookie(), vtag, state, myTag, peerTag, now);
        StateCookie c = e.cookie();
        switch (e.verdict()) {
            case DISCARD -> {
                return false;
            }
            case STALE -> {
                control.sendAlone(c.peerTag(), new ErrorChunk(List.of(ErrorCause.staleCookie(e.staleMicros()))));
                return false;
            }
            case SHUTTING_DOWN -> {
                control.add(new ShutdownAckChunk());
                control.report(new ErrorCause(ErrorCause.COOKIE_WHILE_SHUTTING_DOWN, new byte[0]));
                return false;
            }
            case NEW -> {
                myTag = c.myTag();
                peerTag = c.peerTag();
                myInitialTsn = c.myInitialTsn();
                createTcb(c);
            }
            case CROSSED -> {
                peerTag = c.peerTag();
                if (state == State.COOKIE_ECHOED) createTcb(c);
            }
            case MATCH -> { }
        }
        control.add(new CookieAckChunk());
        if (state.ordinal() < State.ESTABLISHED.ordinal()) becomeEstablished(now);
        return true;
    }

    private void createTcb(StateCookie c) {
        createTcb(c.peerInitialTsn(), c.peerRwnd(), c.peerOutboundStreams(), c.peerInboundStreams(), c.peerForwardTsn(),
                c.peerReconfig());
    }

    private void createTcb(int peerInitialTsn, long peerRwnd, int peerOutbound, int peerInbound, boolean forwardTsn,
                           boolean reconfig) {
        tcb = new Tcb(myInitialTsn, peerInitialTsn, peerRwnd, peerOutbound, peerInbound, forwardTsn, reconfig, settings,
                rto, channels);
    }

    private void becomeEstablished(long now) {
        state = State.ESTABLISHED;
        t1.reset();
        cookieToEcho = null;
        heartbeat.idleFrom(now);
        listener.onAssociationUp();
    }

    private void onData(DataChunk d) {
        if (d.payload().length == 0) {
            abortWith(ErrorCause.noUserData(d.tsn()), "DATA without user data");
            return;
        }
        switch (tcb.receiver.onData(d)) {
            case INVALID_STREAM -> control.report(ErrorCause.invalidStream(d.streamId()));
            case TOO_LARGE -> abortWith(ErrorCause.protocolViolation("message larger than max-message-size"),
                    "peer sent a message larger than " + settings.maxReceiveMessageSize() + " bytes");
            default -> { }
        }
    }

    private void onSack(SackChunk s, long now) {
        DataSender.SackOutcome outcome = tcb.sender.onSack(s, now);
        if (outcome == DataSender.SackOutcome.INVALID) {
            abortWith(ErrorCause.protocolViolation("SACK acknowledges a TSN never sent"), "SACK for unsent data");
            return;
        }
        if (outcome == DataSender.SackOutcome.PROGRESS) errorCount = 0;
        shutdownProgress(now);
    }

    private void onHeartbeat(HeartbeatChunk hb, long now) {
        if (!peerKnown()) return;
        if (!hb.ack()) {
            boolean fits = hb.length() <= settings.mtu() - SctpPacket.HEADER_LENGTH;
            if (fits) control.add(new HeartbeatChunk(true, hb.info())); // echoed as is (§8.3)
            return;
        }
        long rtt = heartbeat.onAck(hb.info(), now);
        if (rtt < 0) return;
        rto.measured(rtt);
        errorCount = 0;
    }

    private void onShutdown(ShutdownChunk s, long now) {
        switch (state) {
            case ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_RECEIVED -> {
                if (tcb.sender.onCumulativeAck(s.cumulativeTsnAck(), now) == DataSender.SackOutcome.INVALID) {
                    abortWith(ErrorCause.protocolViolation("SHUTDOWN acknowledges a TSN never sent"), "bad SHUTDOWN");
                    return;
                }
                state = State.SHUTDOWN_RECEIVED;
                shutdownProgress(now);
            }
            case SHUTDOWN_SENT -> { // §9.2: both sides shut down at once
                control.add(new ShutdownAckChunk());
                state = State.SHUTDOWN_ACK_SENT;
                t2.reset();
                t2.start(now, rto.rto());
            }
            default -> { }
        }
    }

    private void onShutdownAck() {
        if (state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_ACK_SENT) {
            control.sendAlone(peerTag, new ShutdownCompleteChunk(false));
            terminate("shutdown");
        }
    }

    private void onError(ErrorChunk e, long now) {
        for (ErrorCause c : e.causes()) {
            if (c.code() == ErrorCause.STALE_COOKIE && state == State.COOKIE_ECHOED) {
                // §5.2.6: start over with our INIT (same tag); the new cookie will be fresh
                state = State.COOKIE_WAIT;
                control.clear();
                t1.start(now, RtoEstimator.INITIAL_NANOS);
                control.sendAlone(0, sentInit);
                return;
            }
        }
    }

    private void onReConfig(ReConfigChunk r, long now) {
        control.addAll(tcb.resets.onReConfig(r, now, rto.rto()));
        if (tcb.resets.takeProgress()) errorCount = 0;
    }

    // ---------------------------------------------------------------- timers

    private void timers(long now) {
        if (t1.fire(now)) {
            if (t1.expirations > MAX_INIT_RETRANSMITS) {
                terminate("handshake timed out");
                return;
            }
            t1.start(now, Math.min(RtoEstimator.MAX_NANOS, RtoEstimator.INITIAL_NANOS << t1.expirations));
            if (state == State.COOKIE_WAIT) control.sendAlone(0, sentInit);
            else if (state == State.COOKIE_ECHOED) control.add(new CookieEchoChunk(cookieToEcho));
        }
        if (tcb != null && tcb.sender.t3.fire(now)) {
            tcb.sender.onT3Expired(now);
            if (countError()) return;
        }
        if (heartbeat.ackWait.fire(now)) {
            rto.backoff();
            if (countError()) return;
            heartbeat.next.start(now, 0); // try again at once
        }
        if (heartbeat.next.fire(now) && state == State.ESTABLISHED) {
            if (tcb.sender.t3.running()) { // data in flight proves the path already
                heartbeat.idleFrom(now);
            } else {
                control.add(heartbeat.send(now, rto.rto()));
            }
        }
        if (t2.fire(now)) {
            rto.backoff();
            if (countError()) return;
            if (state == State.SHUTDOWN_SENT) control.add(new ShutdownChunk(tcb.receiver.cumulativeTsn()));
            else if (state == State.SHUTDOWN_ACK_SENT) control.add(new ShutdownAckChunk());
            t2.start(now, rto.rto());
        }
        if (tcb != null && tcb.resets.timer.fire(now)) {
            if (countError()) return;
            ReConfigChunk again = tcb.resets.retransmission(now, rto.rto());
            if (again != null) control.add(again);
        }
    }

    /** One more unanswered retransmission; true if that was too many and the association is gone. */
    private boolean countError() {
        if (++errorCount <= MAX_ASSOCIATION_RETRANSMITS) return false;
        abortWith(ErrorCause.userAbort("peer unreachable"), "peer unreachable: too many retransmissions");
        return true;
    }

    // ---------------------------------------------------------------- shutdown and termination

    private void shutdownProgress(long now) {
        if (state == State.SHUTDOWN_PENDING && tcb.sender.idle()) {
            control.add(new ShutdownChunk(tcb.receiver.cumulativeTsn()));
            state = State.SHUTDOWN_SENT;
            t2.reset();
            t2.start(now, rto.rto());
        } else if (state == State.SHUTDOWN_RECEIVED && tcb.sender.idle()) {
            control.add(new ShutdownAckChunk());
            state = State.SHUTDOWN_ACK_SENT;
            t2.reset();
            t2.start(now, rto.rto());
        }
    }

    private void abortWith(ErrorCause cause, String reason) {
        if (state == State.TERMINATED) return;
        if (peerKnown()) control.sendAlone(peerTag, new AbortChunk(false, List.of(cause)));
        terminate(reason);
    }

    private void terminate(String reason) {
        if (state == State.TERMINATED) return;
        state = State.TERMINATED;
        t1.reset();
        t2.reset();
        heartbeat.stop();
        if (tcb != null) tcb.stopTimers();
        control.clear();
        channels.closeAll();
        listener.onAssociationDown(reason);
    }

    // ---------------------------------------------------------------- output

    /** Sends queued control chunks, then DATA as the windows allow, in as many packets as needed. */
    private void flush(long now) {
        if (processing || !peerKnown()) return;
        boolean dataAllowed = state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING
                || state == State.SHUTDOWN_RECEIVED;
        control.flush(peerTag, tcb, sendingAllowed(), dataAllowed ? tcb.sender : null, now, rto.rto());
        if (dataAllowed && tcb.sender.t3.running()) heartbeat.idleFrom(now);
    }

    // ---------------------------------------------------------------- state predicates

    private boolean peerKnown() {
        return state != State.CLOSED && state != State.COOKIE_WAIT && state != State.TERMINATED;
    }

    private boolean established() {
        return peerKnown() && state != State.COOKIE_ECHOED;
    }

    private boolean acceptsData() {
        return state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_SENT;
    }

    private boolean sendingAllowed() {
        return state == State.ESTABLISHED;
    }
}
