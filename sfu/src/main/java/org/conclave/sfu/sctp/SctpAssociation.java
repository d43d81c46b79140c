package org.conclave.sfu.sctp;

import java.security.SecureRandom;
import java.util.List;
import java.util.random.RandomGenerator;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.sctp.chunk.AbortChunk;
import org.conclave.sfu.sctp.chunk.Chunk;
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

/**
 * One SCTP association over DTLS (RFC 8261) carrying WebRTC data channels (RFC 8831, DCEP RFC 8832). Either side may
 * {@link #connect}; an association that has not also accepts the peer's INIT, and simultaneous INITs meet as in RFC
 * 9260 §5.2. Single-threaded and passive: the caller (the endpoint's DTLS thread) feeds it packets with
 * {@link #receive}, calls {@link #onTimer} at {@link #nextTimeout}, and uses channels only on that thread. Packets go
 * out synchronously through {@link PacketOut}. {@link AssociationListener} callbacks run inside these calls and must
 * not throw; they may send, open and close channels.
 */
public final class SctpAssociation {
    /** Streams we announce in each direction; stream ids (and so channels) stay below this. */
    public static final int MAX_STREAMS = 1024;

    /** Where finished SCTP packets go: the DTLS session, as application data. The buffer is reused after return. */
    @FunctionalInterface
    public interface PacketOut {
        void send(byte[] b, int off, int len);
    }

    /** RFC 9260 §4 states, plus TERMINATED: this object is done and ignores everything. */
    public enum State {
        CLOSED, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_SENT, SHUTDOWN_RECEIVED,
        SHUTDOWN_ACK_SENT, TERMINATED
    }

    private final SctpSettings settings;
    private final NanoClock clock;
    private final AssociationListener listener;
    private final RandomGenerator random;
    private final Outbox control;
    private final Handshake handshake;
    private final Shutdown closing;
    private final Channels channels;
    private State state = State.CLOSED;
    private Tcb tcb;
    private boolean processing;
    private long malformedPackets;

    public SctpAssociation(SctpSettings settings, CookieSigner cookies, NanoClock clock, PacketOut out,
                           AssociationListener listener) {
        this(settings, cookies, clock, out, listener, new SecureRandom());
    }

    /** With a chosen source of tags, initial TSNs and heartbeat nonces (tests want them reproducible). */
    SctpAssociation(SctpSettings settings, CookieSigner cookies, NanoClock clock, PacketOut out,
                    AssociationListener listener, RandomGenerator random) {
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.random = random;
        this.control = new Outbox(settings, out);
        this.handshake = new Handshake(cookies, random, control);
        this.closing = new Shutdown(control);
        this.channels = new Channels(this, listener, settings.dtlsServer());
    }

    // ---------------------------------------------------------------- public API

    /** Sends INIT (active open). Only in CLOSED; the peer may also connect, which is fine. */
    public void connect() {
        if (state != State.CLOSED) throw new IllegalStateException("connect() in " + state);
        state = State.COOKIE_WAIT;
        handshake.connect(clock.nanoTime());
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
        long t = Math.min(handshake.deadline(), closing.deadline());
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
                state = closing.progress(State.SHUTDOWN_PENDING, tcb, clock.nanoTime());
                flush(clock.nanoTime());
            }
            default -> { }
        }
    }

    /** Sends ABORT (if the peer is known) and ends the association at once. */
    public void abort(String reason) {
        abortWith(ErrorCause.userAbort(reason), reason);
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
        return tcb != null && tcb.canSendOn(sid);
    }

    void sendDcep(int sid, byte[] message) {
        if (!canSendOn(sid) || !sendingAllowed()) return;
        tcb.sendDcep(sid, message);
        flush(clock.nanoTime());
    }

    boolean sendUser(int sid, int ppid, byte[] data, boolean unordered, int maxRetransmits, long lifetimeMillis) {
        if (!sendingAllowed()) return false;
        long now = clock.nanoTime();
        if (!tcb.sendUser(sid, ppid, data, unordered, maxRetransmits, lifetimeMillis, now)) return false;
        flush(now);
        return true;
    }

    /** Asks for an outgoing stream reset; false when the peer cannot do RE-CONFIG (nothing to wait for then). */
    boolean resetOutgoing(int sid) {
        if (!sendingAllowed() || !tcb.resetOutgoing(sid)) return false;
        flush(clock.nanoTime());
        return true;
    }

    // ---------------------------------------------------------------- introspection for tests

    /** The data machinery, once the peer is known (null before). */
    Tcb tcb() {
        return tcb;
    }

    int localTag() {
        return handshake.myTag();
    }

    int controlQueueLength() {
        return control.size();
    }

    // ---------------------------------------------------------------- packet handling

    private void handle(SctpPacket p, long now) {
        List<Chunk> chunks = p.chunks();
        if (chunks.isEmpty()) return;
        if (chunks.get(0) instanceof InitChunk init && !init.ack()) {
            // §8.5.1 A: INIT travels alone with tag 0
            if (chunks.size() == 1 && p.verificationTag() == 0) handshake.onInit(init, state, now);
            return;
        }
        for (Chunk c : chunks) if (c instanceof InitChunk i && !i.ack()) return;
        if (!handshake.tagAccepted(chunks.get(0), p.verificationTag(), state, peerKnown())) return;
        control.newPacket();
        boolean data = false;
        for (int i = 0; i < chunks.size() && state != State.TERMINATED; i++) {
            Chunk c = chunks.get(i);
            if (c instanceof CookieEchoChunk echo) {
                if (i != 0 || !onCookieEcho(echo, p.verificationTag(), now)) return;
                continue;
            }
            if (state == State.CLOSED) return;
            if (c instanceof DataChunk d) {
                if (acceptsData()) {
                    data = true;
                    failed(tcb.onData(d, control));
                }
            } else if (c instanceof UnknownChunk u) {
                if (peerKnown()) control.reportUnknown(u);
                if (u.action().stops()) break;
            } else {
                onControlChunk(c, now);
            }
        }
        if (data && state != State.TERMINATED) tcb.receiver.endOfDataPacket(now);
    }

    private void onControlChunk(Chunk c, long now) {
        if (c instanceof SackChunk s) {
            if (established()) onSack(s, now);
        } else if (c instanceof InitChunk initAck) {
            if (state == State.COOKIE_WAIT) onInitAck(initAck, now); // §5.2.3: discarded elsewhere
        } else if (c instanceof HeartbeatChunk hb) {
            if (peerKnown()) tcb.onHeartbeat(hb, control, now);
        } else if (c instanceof AbortChunk a) {
            terminate("peer aborted" + (a.causes().isEmpty() ? "" : ": " + a.causes().get(0).describe()));
        } else if (c instanceof ShutdownChunk s) {
            onShutdown(s, now);
        } else if (c instanceof ShutdownAckChunk || c instanceof ShutdownCompleteChunk) {
            if (closing.completedBy(c, state, handshake.peerTag())) terminate("shutdown");
        } else if (c instanceof ErrorChunk e) {
            onError(e, now);
        } else if (c instanceof CookieAckChunk) {
            if (state == State.COOKIE_ECHOED) becomeEstablished(now);
        } else if (c instanceof ForwardTsnChunk f) {
            if (acceptsData()) tcb.receiver.onForwardTsn(f);
        } else if (c instanceof ReConfigChunk r) {
            if (established()) tcb.onReConfig(r, control, now);
        }
    }

    private void onInitAck(InitChunk ack, long now) {
        StateCookie peer = handshake.onInitAck(ack, now);
        if (peer == null) {
            terminate("invalid INIT-ACK");
            return;
        }
        tcb = new Tcb(peer, settings, channels, random);
        state = State.COOKIE_ECHOED;
    }

    /** §5.1 D and §5.2.4; true if the association now exists and the rest of the packet may be processed. */
    private boolean onCookieEcho(CookieEchoChunk echo, int vtag, long now) {
        Handshake.Echo e = handshake.onCookieEcho(echo, vtag, state, now);
        if (!e.accepted()) return false;
        boolean fresh = e.verdict() == Handshake.Verdict.NEW
                || e.verdict() == Handshake.Verdict.CROSSED && state == State.COOKIE_ECHOED;
        if (fresh) tcb = new Tcb(e.cookie(), settings, channels, random);
        if (state.ordinal() < State.ESTABLISHED.ordinal()) becomeEstablished(now);
        return true;
    }

    private void becomeEstablished(long now) {
        state = State.ESTABLISHED;
        handshake.finish();
        tcb.established(now);
        listener.onAssociationUp();
    }

    private void onSack(SackChunk s, long now) {
        if (!failed(tcb.onSack(s, now))) state = closing.progress(state, tcb, now);
    }

    private void onShutdown(ShutdownChunk s, long now) {
        boolean acks = state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING
                || state == State.SHUTDOWN_RECEIVED;
        if (acks && failed(tcb.onCumulativeAck(s.cumulativeTsnAck(), now))) return;
        state = closing.onShutdown(state, tcb, now);
    }

    private void onError(ErrorChunk e, long now) {
        for (ErrorCause c : e.causes()) {
            if (c.code() == ErrorCause.STALE_COOKIE && state == State.COOKIE_ECHOED) {
                state = State.COOKIE_WAIT;
                handshake.restart(now);
                return;
            }
        }
    }

    // ---------------------------------------------------------------- timers

    private void timers(long now) {
        if (!handshake.onTimer(state, now)) {
            terminate("handshake timed out");
            return;
        }
        if (tcb == null) return;
        boolean reachable = tcb.onDataTimers(now, state == State.ESTABLISHED, control)
                && closing.onTimer(state, tcb, now)
                && tcb.onResetTimer(now, control);
        if (!reachable) {
            abortWith(ErrorCause.userAbort("peer unreachable"), "peer unreachable: too many retransmissions");
        }
    }

    // ---------------------------------------------------------------- termination

    /** Aborts for {@code f}, if there is one; whether it did. */
    private boolean failed(Tcb.Failure f) {
        if (f != null) abortWith(f.cause(), f.reason());
        return f != null;
    }

    private void abortWith(ErrorCause cause, String reason) {
        if (state == State.TERMINATED) return;
        if (peerKnown()) control.sendAlone(handshake.peerTag(), new AbortChunk(false, List.of(cause)));
        terminate(reason);
    }

    private void terminate(String reason) {
        if (state == State.TERMINATED) return;
        state = State.TERMINATED;
        handshake.finish();
        closing.stop();
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
        control.flush(handshake.peerTag(), tcb, sendingAllowed(), dataAllowed ? tcb.sender : null, now);
        if (dataAllowed) tcb.flushed(now);
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
