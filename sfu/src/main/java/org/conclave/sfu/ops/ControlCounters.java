package org.conclave.sfu.ops;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.sdp.SdpLimit;

/**
 * What the control contract did, counted from its results and listener events (control and DTLS threads, never the
 * packet thread). Read by metrics at any time.
 */
public final class ControlCounters {
    private final LongAdder allocated = new LongAdder();
    private final LongAdder refusedDraining = new LongAdder();
    private final LongAdder refusedOther = new LongAdder();
    private final LongAdder connected = new LongAdder();
    /** Refused SDP that broke no limit (malformed, unusable); the rest by the limit it exceeded. */
    private final LongAdder sdpUnusable = new LongAdder();
    private final Map<SdpLimit, LongAdder> sdpBeyondLimit = new EnumMap<>(SdpLimit.class);
    private final Map<FailureReason, LongAdder> failures = new EnumMap<>(FailureReason.class);
    private final Map<CloseCause, LongAdder> closes = new EnumMap<>(CloseCause.class);

    ControlCounters() {
        for (FailureReason r : FailureReason.values()) failures.put(r, new LongAdder());
        for (CloseCause c : CloseCause.values()) closes.put(c, new LongAdder());
        for (SdpLimit l : SdpLimit.values()) sdpBeyondLimit.put(l, new LongAdder());
    }

    void allocated() {
        allocated.increment();
    }

    void refused(boolean draining) {
        (draining ? refusedDraining : refusedOther).increment();
    }

    /** @param limit the limit the SDP exceeded, null when it is unusable for another reason */
    void refusedSdp(SdpLimit limit) {
        (limit == null ? sdpUnusable : sdpBeyondLimit.get(limit)).increment();
    }

    void connected() {
        connected.increment();
    }

    void failed(FailureReason reason) {
        failures.get(reason).increment();
    }

    void closed(CloseCause cause) {
        closes.get(cause).increment();
    }

    /** Endpoints allocated since start. */
    public long allocations() {
        return allocated.sum();
    }

    /** Allocations refused because the node is draining. */
    public long refusedDraining() {
        return refusedDraining.sum();
    }

    /** Allocations refused for another reason (capacity, shutting down). */
    public long refusedOther() {
        return refusedOther.sum();
    }

    /** Clients' offers and answers refused as unusable or beyond the SDP limits ({@code BAD_SDP}). */
    public long sdpRefused() {
        long n = sdpUnusable.sum();
        for (LongAdder a : sdpBeyondLimit.values()) n += a.sum();
        return n;
    }

    /** Clients' offers and answers refused for exceeding {@code limit}; null: for being unusable otherwise. */
    public long sdpRefused(SdpLimit limit) {
        return (limit == null ? sdpUnusable : sdpBeyondLimit.get(limit)).sum();
    }

    /** Endpoints whose ICE and DTLS handshake completed (media could flow). */
    public long connections() {
        return connected.sum();
    }

    public long failures(FailureReason reason) {
        return failures.get(reason).sum();
    }

    public long closes(CloseCause cause) {
        return closes.get(cause).sum();
    }
}
