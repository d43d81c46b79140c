package org.conclave.sfu.sctp;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.ChunkType;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.InitChunk;

/**
 * The decisions of association set-up (RFC 9260 §5.1–5.2), free of side effects: our INIT, the INIT-ACK with a
 * signed State Cookie for a peer's INIT in each state (so nothing is kept before COOKIE-ECHO), and what a COOKIE-ECHO
 * means given the tags we hold — including crossed INITs, which WebRTC makes common since both sides may connect.
 */
final class Handshake {
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
        /** §5.2.4 B: the INITs crossed; the peer's tag (and, in COOKIE-ECHOED, its parameters) come from the cookie. */
        CROSSED,
        /** §5.2.4 D: both tags match; confirm with COOKIE-ACK. */
        MATCH
    }

    record Echo(Verdict verdict, StateCookie cookie, long staleMicros) {
    }

    private final CookieSigner cookies;
    private final RandomGenerator random;

    Handshake(CookieSigner cookies, RandomGenerator random) {
        this.cookies = cookies;
        this.random = random;
    }

    int newTag() {
        int v;
        do {
            v = random.nextInt();
        } while (v == 0);
        return v;
    }

    int newTsn() {
        return random.nextInt();
    }

    InitChunk init(int tag, int initialTsn) {
        return new InitChunk(false, tag, ReassemblyQueue.MAX_BUFFERED_BYTES, SctpAssociation.MAX_STREAMS,
                SctpAssociation.MAX_STREAMS, initialTsn, EXTENSIONS, true, null, List.of());
    }

    /** The error cause an INIT or INIT-ACK must be aborted with (§5.1), or null if its mandatory fields are sound. */
    static ErrorCause invalid(InitChunk init) {
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
     * is to be ignored. {@code myTag}, {@code myInitialTsn} and {@code peerTag} are the current ones, if any.
     */
    InitChunk initAck(InitChunk init, State state, int myTag, int myInitialTsn, int peerTag, long now) {
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
    Echo checkEcho(byte[] cookie, int vtag, State state, int myTag, int peerTag, long now) {
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

    static boolean supportsForwardTsn(InitChunk init) {
        return init.forwardTsnSupported() || init.supportsExtension(ChunkType.FORWARD_TSN);
    }

    static List<byte[]> reportable(List<byte[]> unrecognized) {
        return unrecognized.stream().filter(p -> p.length <= MAX_REPORTED_PARAMETER_BYTES).toList();
    }
}
