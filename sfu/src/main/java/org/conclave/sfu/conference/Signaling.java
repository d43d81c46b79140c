package org.conclave.sfu.conference;

import java.time.Duration;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.sdp.Answer;
import org.conclave.sfu.sdp.AppliedAnswer;
import org.conclave.sfu.sdp.NegotiationState;
import org.conclave.sfu.sdp.Offer;

/**
 * The offer/answer state of one endpoint and the rules of when the SFU offers (docs/protocol.md, "When the SFU
 * offers"). The client offers first; the SFU answers every client offer. Then:
 * <ul>
 * <li>The SFU's first offer waits until the endpoint is connected: ICE and DTLS up prove that the client applied the
 *     SFU's answer. matrix-js-sdk, the impolite side as caller, drops an offer that arrives before the answer.</li>
 * <li>Never two SFU offers outstanding; changes while one is out are carried by the next one.</li>
 * <li>An offer is made from the latest state when {@link #poll} runs: the owner runs it in its own control-thread task
 *     after the call that caused it completed, so an answer always leaves before the next offer.</li>
 * <li>An offer not answered within the timeout is made again from the latest state with a new o= version; each
 *     further attempt waits twice as long, at most {@value #MAX_BACKOFF_FACTOR} times the timeout.</li>
 * <li>A client offer that crosses the SFU's (glare) is answered; the SFU, the polite side, drops its own offer and
 *     offers again afterwards what the answer could not carry.</li>
 * <li>An answer when no offer is out, or one that does not fit the offer, is refused (BAD_SDP) and changes nothing.</li>
 * </ul>
 * Pure logic on the control thread: time from a {@link NanoClock}, SDP from its {@link Port}.
 */
final class Signaling {
    /** The longest wait before an unanswered offer is made again, in multiples of the timeout. */
    static final int MAX_BACKOFF_FACTOR = 8;

    enum Phase {
        /** No client offer yet. */
        NEW,
        /** The last exchange is complete. */
        STABLE,
        /** An SFU offer is out. */
        HAVE_LOCAL_OFFER,
        /** The endpoint is gone: everything is refused, nothing is sent. */
        CLOSED
    }

    /** SDP for the machine, built by the endpoint from its state at the time of the call. */
    interface Port {
        /**
         * The SFU's answer to the client's offer, with o= version {@code version}; {@code previous} is null for the
         * first offer. Throws {@link SfuException} (BAD_SDP) for an offer that cannot be used.
         */
        Answer answer(String sdpOffer, NegotiationState previous, long version);

        /** The SFU's offer: the last completed exchange plus what the SFU sends now, with o= version {@code version}. */
        Offer offer(NegotiationState completed, long version);

        /** Checks the client's answer against the offer; throws {@link SfuException} (BAD_SDP) if it does not fit. */
        AppliedAnswer accept(Offer offer, String sdpAnswer);

        /** Whether what the SFU sends the endpoint now differs from what {@code completed} says (an offer is due). */
        boolean differsFrom(NegotiationState completed);

        /** Hands an offer to the client. */
        void send(Offer offer);
    }

    private final NanoClock clock;
    private final long timeoutNanos;
    private final Port port;

    private Phase phase = Phase.NEW;
    private boolean connected;
    /** Something changed since the last look: {@link #poll} checks whether the client needs an offer for it. */
    private boolean needed;
    /** The last completed exchange (the client's offer and our answer, or our offer and its answer). */
    private NegotiationState completed;
    private Offer pending;
    private long resendAtNanos;
    /** Offers made in a row without an answer (for the back-off). */
    private int unanswered;
    /** o= version of the last description the SFU produced. */
    private long version;

    private long offersMade;
    private long offersRepeated;
    private long glares;
    private long answersRefused;

    Signaling(NanoClock clock, Duration answerTimeout, Port port) {
        this.clock = clock;
        this.timeoutNanos = answerTimeout.toNanos();
        this.port = port;
    }

    /**
     * Answers the client's offer (the first, a renegotiation, an ICE restart, or one crossing the SFU's own). A refused
     * offer changes nothing.
     */
    Answer answerOffer(String sdpOffer) {
        requireOpen();
        long v = version + 1;
        Answer answer = port.answer(sdpOffer, phase == Phase.NEW ? null : completed, v);
        version = v;
        if (phase == Phase.HAVE_LOCAL_OFFER) {
            glares++;
            pending = null;
            unanswered = 0;
        }
        completed = answer.state();
        phase = Phase.STABLE;
        needed = true; // an answer cannot add m-lines: what it could not carry needs an offer
        return answer;
    }

    /** The client's answer to the SFU's outstanding offer. A refused answer changes nothing. */
    AppliedAnswer acceptAnswer(String sdpAnswer) {
        requireOpen();
        if (phase != Phase.HAVE_LOCAL_OFFER) {
            answersRefused++;
            throw new SfuException(FailureReason.BAD_SDP, "no offer from the SFU is waiting for an answer");
        }
        AppliedAnswer applied;
        try {
            applied = port.accept(pending, sdpAnswer);
        } catch (SfuException e) {
            answersRefused++;
            throw e;
        }
        completed = applied.state();
        pending = null;
        unanswered = 0;
        phase = Phase.STABLE;
        return applied;
    }

    /** ICE and DTLS are up: the client has applied the SFU's answer. */
    void connected() {
        connected = true;
    }

    /** What the SFU sends to the client changed: the next offer carries it. */
    void sourcesChanged() {
        needed = true;
    }

    /** Makes an offer if one is due now (a change to offer, or an unanswered offer's time is up); true if it did. */
    boolean poll() {
        if (phase == Phase.STABLE && connected && needed) {
            needed = false;
            return port.differsFrom(completed) && makeOffer();
        }
        if (phase == Phase.HAVE_LOCAL_OFFER && clock.nanoTime() - resendAtNanos >= 0) {
            offersRepeated++;
            return makeOffer();
        }
        return false;
    }

    void close() {
        phase = Phase.CLOSED;
        pending = null;
    }

    private boolean makeOffer() {
        long v = version + 1;
        Offer offer = port.offer(completed, v);
        version = v;
        pending = offer;
        needed = false;
        phase = Phase.HAVE_LOCAL_OFFER;
        unanswered++;
        long factor = Math.min(1L << Math.min(unanswered - 1, 30), MAX_BACKOFF_FACTOR);
        resendAtNanos = clock.nanoTime() + timeoutNanos * factor;
        offersMade++;
        port.send(offer);
        return true;
    }

    private void requireOpen() {
        if (phase == Phase.CLOSED) throw new SfuException(FailureReason.INTERNAL, "the endpoint is closed");
    }

    // ---------------------------------------------------------------- state, for the endpoint

    /** The last completed exchange; null before the first. */
    NegotiationState completed() {
        return completed;
    }

    Phase phase() {
        return phase;
    }

    boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    /** For the endpoint's last log line: "3 offers (1 made again), 0 glares, 1 answers refused". */
    String summary() {
        return offersMade + " offers (" + offersRepeated + " made again), " + glares + " glares, " + answersRefused
                + " answers refused";
    }
}
