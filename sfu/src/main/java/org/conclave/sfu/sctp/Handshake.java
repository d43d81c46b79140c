package org.conclave.sfu.sctp;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.AbortChunk;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.ChunkType;
import org.conclave.sfu.sctp.chunk.CookieAckChunk;
import org.conclave.sfu.sctp.chunk.CookieEchoChunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ErrorChunk;
import org.conclave.sfu.sctp.chunk.InitChunk;
import org.conclave.sfu.sctp.chunk.ShutdownAckChunk;
import org.conclave.sfu.sctp.chunk.ShutdownCompleteChunk;

/**
 * Association set-up (RFC 9260 §5.1–5.2) and the verification tags it settles: our INIT and its T1 retransmissions,
 * the INIT-ACK with a signed State Cookie for a peer's INIT in each state (so nothing is kept before COOKIE-ECHO), our
 * COOKIE-ECHO, and what a received COOKIE-ECHO means given the tags we hold — including crossed INITs, which WebRTC
 * makes common since both sides may connect. The association keeps the state and creates the {@link Tcb} from the
 * peer's parameters handed back here.
 */
final class Handshake {
    static final int MAX_INIT_RETRANSMITS = 8;
    /** Unrecognized parameters larger than this are not echoed back in reports. */
    static final int MAX_REPORTED_PARAMETER_BYTES = 128;
    private static final byte[] EXTENSIONS = {(byte) ChunkType.FORWARD_TSN, (byte) ChunkType.RE_CONFIG};

    enum Verdict {
        /** Forged, for another tag, a late cookie (§5.2.4 C) or a peer restart (§5.2.4 A, unsupported): drop it. */
        DISCARD,
        /** Signed by us but older than {@link CookieSigner#LIFETIME_NANOS}: answer with a Stale Cookie error. */
        STALE,
        /** We are shutting down (§5.2.4 and §9.2): answer with SHUTDOWN-ACK and an error. */
        SHUTTING_DOWN,
        /** No association yet (§5.1 D): create it from the cookie. */
        NEW,
        /** §5.2.4 B: the INITs crossed; the peer's tag (and, in COOKIE-ECHOED, its parameters) come from the cookie */
        CROSSED,
        /** §5.2.4 D: both tags match; confirm with COOKIE-ACK. */
        MATCH
    }

    record Echo(Verdict verdict, StateCookie cookie, long staleMicros) {
        /** The association exists (or now may be created) and the rest of the packet may be processed. */
        boolean accepted() {
            return verdict.compareTo(Verdict.NEW) >= 0;
        }
    }

    private final CookieSigner cookies;
    private final RandomGenerator random;
    private final Outbox control;
    /** T1-init in COOKIE-WAIT, T1-cookie in COOKIE-ECHOED. */
    private final Timer t1 = new Timer();
    private int myTag;
    private int peerTag;
    private int myInitialTsn;
    private InitChunk sentInit;
    private byte[] cookieToEcho;

    Handshake(CookieSigner cookies, RandomGenerator random, Outbox control) {
        this.cookies = cookies;
        this.random = random;
        this.control = control;
    }

    /** Our verification tag: the one the peer's packets must carry. */
    int myTag() {
        return myTag;
    }

    /** The peer's verification tag: the one our packets carry. */
    int peerTag() {
        return peerTag;
    }

    long deadline() {
        return t1.deadline();
    }

    /**
     * The verification-tag rules of RFC 9260 §8.5 for a packet (not an INIT) whose first chunk is {@code first}: may
     * its chunks be processed? {@code peerKnown}: we have the peer's tag.
     */
    boolean tagAccepted(Chunk first, int vtag, State state, boolean peerKnown) {
        if (first instanceof CookieEchoChunk) return true; // the tag is checked against the cookie
        if (first instanceof AbortChunk a && a.reflected()
                || first instanceof ShutdownCompleteChunk sc && sc.reflected()) {
            return peerKnown && vtag == peerTag;
        }
        if (state == State.CLOSED) {
            // §8.4 (5): an out-of-the-blue SHUTDOWN-ACK gets a SHUTDOWN-COMPLETE with the T bit
            if (first instanceof ShutdownAckChunk) control.sendAlone(vtag, new ShutdownCompleteChunk(true));
            return false;
        }
        return vtag == myTag;
    }

    /** Active open: sends our INIT (the association goes to COOKIE-WAIT). */
    void connect(long now) {
        myTag = newTag();
        myInitialTsn = newTsn();
        sentInit = init(myTag, myInitialTsn);
        t1.reset();
        t1.start(now, RtoEstimator.INITIAL_NANOS);
        control.sendAlone(0, sentInit);
    }

    /** A peer's INIT in {@code state}: answered with an INIT-ACK (or an ABORT if it is unsound); nothing is kept. */
    void onInit(InitChunk init, State state, long now) {
        if (init.initiateTag() == 0) return; // nowhere to send an ABORT
        ErrorCause invalid = invalid(init);
        if (invalid != null) {
            control.sendAlone(init.initiateTag(), new AbortChunk(false, List.of(invalid)));
            return;
        }
        InitChunk ack = initAck(init, state, now);
        if (ack != null) control.sendAlone(init.initiateTag(), ack);
    }

    /**
     * The peer's INIT-ACK to our INIT (in COOKIE-WAIT): echoes its cookie (the association goes to COOKIE-ECHOED) and
     * returns the peer's parameters, in the form a State Cookie carries them; null if it is unsound (ABORT sent).
     */
    StateCookie onInitAck(InitChunk ack, long now) {
        ErrorCause invalid = invalid(ack);
        if (invalid != null) {
            if (ack.initiateTag() != 0) control.sendAlone(ack.initiateTag(), new AbortChunk(false, List.of(invalid)));
            return null;
        }
        peerTag = ack.initiateTag();
        cookieToEcho = ack.stateCookie();
        t1.reset();
        t1.start(now, RtoEstimator.INITIAL_NANOS);
        control.add(new CookieEchoChunk(cookieToEcho));
        List<byte[]> unrecognized = reportable(ack.unrecognizedParameters());
        if (!unrecognized.isEmpty()) {
            control.add(new ErrorChunk(List.of(ErrorCause.unrecognizedParameters(unrecognized))));
        }
        return new StateCookie(myTag, peerTag, myInitialTsn, ack.initialTsn(), ack.aRwnd(), ack.outboundStreams(),
                ack.inboundStreams(), supportsForwardTsn(ack), ack.supportsExtension(ChunkType.RE_CONFIG), 0, 0, now);
    }

    /**
     * A COOKIE-ECHO (§5.1 D, §5.2.4) in a packet with verification tag {@code vtag}: answers it as its verdict says
     * (COOKIE-ACK when {@link Echo#accepted}) and takes the tags of a new or crossed association from the cookie.
     */
    Echo onCookieEcho(CookieEchoChunk echo, int vtag, State state, long now) {
        Echo e = checkEcho(echo.cookie(), vtag, state, now);
        StateCookie c = e.cookie();
        switch (e.verdict()) {
            case DISCARD -> { }
            case STALE -> control.sendAlone(c.peerTag(),
                    new ErrorChunk(List.of(ErrorCause.staleCookie(e.staleMicros()))));
            case SHUTTING_DOWN -> {
                control.add(new ShutdownAckChunk());
                control.report(new ErrorCause(ErrorCause.COOKIE_WHILE_SHUTTING_DOWN, new byte[0]));
            }
            case NEW -> {
                myTag = c.myTag();
                peerTag = c.peerTag();
                myInitialTsn = c.myInitialTsn();
            }
            case CROSSED -> peerTag = c.peerTag();
            case MATCH -> { }
        }
        if (e.accepted()) control.add(new CookieAckChunk());
        return e;
    }

    /** §5.2.6: the peer found our cookie stale; start over with our INIT (same tag): its new cookie will be fresh. */
    void restart(long now) {
        control.clear();
        t1.start(now, RtoEstimator.INITIAL_NANOS);
        control.sendAlone(0, sentInit);
    }

    /** Runs T1 if due, retransmitting INIT or COOKIE-ECHO with backoff; false when the handshake has timed out. */
    boolean onTimer(State state, long now) {
        if (!t1.fire(now)) return true;
        if (t1.expirations > MAX_INIT_RETRANSMITS) return false;
        t1.start(now, Math.min(RtoEstimator.MAX_NANOS, RtoEstimator.INITIAL_NANOS << t1.expirations));
        if (state == State.COOKIE_WAIT) control.sendAlone(0, sentInit);
        else if (state == State.COOKIE_ECHOED) control.add(new CookieEchoChunk(cookieToEcho));
        return true;
    }

    /** The association is up (or gone): nothing more to retransmit. */
    void finish() {
        t1.reset();
        cookieToEcho = null;
    }

    private int newTag() {
        int v;
        do {
            v = random.nextInt();
        } while (v == 0);
        return v;
    }

    private int newTsn() {
        return random.nextInt();
    }

    private InitChunk init(int tag, int initialTsn) {
        return new InitChunk(false, tag, ReassemblyQueue.MAX_BUFFERED_BYTES, SctpAssociation.MAX_STREAMS,
                SctpAssociation.MAX_STREAMS, initialTsn, EXTENSIONS, true, null, List.of());
    }

    /** The error cause an INIT or INIT-ACK must be aborted with (§5.1), or null if its mandatory fields are sound. */
    private static ErrorCause invalid(InitChunk init) {
        if (init.ack() && init.stateCookie() == null) {
            return new ErrorCause(ErrorCause.MISSING_MANDATORY_PARAMETER, new byte[0]);
        }
        if (init.initiateTag() == 0 || init.outboundStreams() == 0 || init.inboundStreams() == 0) {
            return new ErrorCause(ErrorCause.INVALID_MANDATORY_PARAMETER, new byte[0]);
        }
        return null;
    }

    /**
     * The INIT-ACK answering {@code init} (already checked with {@link #invalid}) in {@code state}, or null if the INIT
     * is to be ignored. Our current tags and initial TSN, if any, go into it.
     */
    private InitChunk initAck(InitChunk init, State state, long now) {
        int tag;
        int tsn;
        int localTie = 0;
        int peerTie = 0;
        switch (state) {
            case CLOSED -> {
                tag = newTag();
                tsn = newTsn();
            }
            case COOKIE_WAIT, COOKIE_ECHOED -> { // §5.2.1: answer with the parameters of our own INIT
                tag = myTag;
                tsn = myInitialTsn;
            }
            case SHUTDOWN_ACK_SENT, TERMINATED -> {
                return null; // §9.2: T2 keeps retransmitting our SHUTDOWN-ACK
            }
            default -> { // §5.2.2: an unexpected INIT gets new values and the tie-tags
                tag = newTag();
                tsn = newTsn();
                localTie = myTag;
                peerTie = peerTag;
            }
        }
        StateCookie cookie = new StateCookie(tag, init.initiateTag(), tsn, init.initialTsn(), init.aRwnd(),
                init.outboundStreams(), init.inboundStreams(), supportsForwardTsn(init),
                init.supportsExtension(ChunkType.RE_CONFIG), localTie, peerTie, now);
        return new InitChunk(true, tag, ReassemblyQueue.MAX_BUFFERED_BYTES, SctpAssociation.MAX_STREAMS,
                SctpAssociation.MAX_STREAMS, tsn, EXTENSIONS, true, cookie.encode(cookies),
                reportable(init.unrecognizedParameters()));
    }

    /** What the COOKIE-ECHO {@code cookie}, in a packet with verification tag {@code vtag}, means now. */
    private Echo checkEcho(byte[] cookie, int vtag, State state, long now) {
        StateCookie.Decoded d = StateCookie.decode(cookies, cookie, now);
        StateCookie c = d.cookie();
        if (d.check() == StateCookie.Check.FORGED || vtag != c.myTag()) return new Echo(Verdict.DISCARD, c, 0);
        if (d.check() == StateCookie.Check.STALE) {
            long stale = TimeUnit.NANOSECONDS.toMicros(d.ageNanos() - CookieSigner.LIFETIME_NANOS);
            return new Echo(Verdict.STALE, c, stale);
        }
        return switch (state) {
            case CLOSED, COOKIE_WAIT -> new Echo(Verdict.NEW, c, 0); // no association state yet
            case SHUTDOWN_ACK_SENT -> new Echo(Verdict.SHUTTING_DOWN, c, 0);
            case TERMINATED -> new Echo(Verdict.DISCARD, c, 0);
            default -> new Echo(c.myTag() != myTag ? Verdict.DISCARD
                    : c.peerTag() != peerTag ? Verdict.CROSSED : Verdict.MATCH, c, 0);
        };
    }

    private static boolean supportsForwardTsn(InitChunk init) {
        return init.forwardTsnSupported() || init.supportsExtension(ChunkType.FORWARD_TSN);
    }

    private static List<byte[]> reportable(List<byte[]> unrecognized) {
        return unrecognized.stream().filter(p -> p.length <= MAX_REPORTED_PARAMETER_BYTES).toList();
    }
}
