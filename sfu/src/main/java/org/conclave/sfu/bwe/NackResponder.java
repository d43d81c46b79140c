package org.conclave.sfu.bwe;

import org.conclave.sfu.rtcp.GenericNack;
import org.conclave.sfu.rtcp.RtcpKind;
import org.conclave.sfu.rtcp.RtcpPacket;

/**
 * Answers one receiver's generic NACKs (RFC 4585 §6.2.1) for one outgoing stream from its {@link PacketCache}: each
 * cached packet not resent within the resend interval is resent, as RTX (RFC 4588) when negotiated; the sequence
 * numbers the cache lacks are reported. Packet thread only; no allocation after construction.
 *
 * <p>Use: {@code n = onNack(...)}, then for {@code i < n} {@code writeResend(i, ...)}, protect and send; then look at
 * {@link #missingCount()} / {@link #missingSequence(int)}.
 */
public final class NackResponder {
    /** Sequence numbers taken from one NACK; a NACK asking for more than the cache holds is mostly noise. */
    public static final int MAX_SEQUENCES_PER_NACK = 512;

    private final PacketCache cache;
    private final long resendIntervalNanos;
    private final int[] lost = new int[MAX_SEQUENCES_PER_NACK];
    private final int[] resend = new int[MAX_SEQUENCES_PER_NACK];
    private final int[] missing = new int[MAX_SEQUENCES_PER_NACK];
    private int resendCount;
    private int missingCount;
    private boolean rtx;
    private int rtxSsrc;
    private int rtxPayloadType;
    private int rtxSequence;
    private long resent;
    private long suppressed;
    private long missed;

    /** The cache the caller fills with every packet as sent. */
    public PacketCache cache() {
        return cache;
    }

    private long probes;

    public NackResponder(PacketCache cache, NackOptions options) {
        this.cache = cache;
        this.resendIntervalNanos = options.resendIntervalMillis() * 1_000_000;
    }

    /** Resends go out as RTX from now on: on the RTX SSRC and payload type, with RTX's own sequence numbers. */
    public void enableRtx(int ssrc, int payloadType, int firstSequence) {
        rtx = true;
        rtxSsrc = ssrc;
        rtxPayloadType = payloadType;
        rtxSequence = firstSequence & 0xFFFF;
    }

    public void disableRtx() {
        rtx = false;
    }

    /**
     * Reads one NACK packet (not a compound) from the receiver about this stream.
     *
     * @return how many packets to resend (see {@link #writeResend}); 0 for anything but a well-formed NACK
     */
    public int onNack(byte[] b, int off, int len, long nowNanos) {
        resendCount = 0;
        missingCount = 0;
        if (RtcpPacket.kind(b, off, len) != RtcpKind.NACK) {
            return 0;
        }
        int n = GenericNack.lostSequences(b, off, len, lost);
        for (int i = 0; i < n; i++) {
            int seq = lost[i];
            int slot = cache.find(seq, nowNanos);
            if (slot < 0) {
                if (!contains(missing, missingCount, seq)) {
                    missing[missingCount++] = seq;
                    missed++;
                }
            } else if (cache.markResent(slot, nowNanos, resendIntervalNanos)) {
                resend[resendCount++] = seq;
            } else {
                suppressed++;
            }
        }
        return resendCount;
    }

    public int resendCount() {
        return resendCount;
    }

    /** Output sequence number of the {@code i}th packet to resend. */
    public int resendSequence(int i) {
        return resend[checkIndex(i, resendCount)];
    }

    /**
     * Writes the {@code i}th packet to resend into {@code dst} (call right after {@link #onNack}: the cache must not
     * have changed). With RTX each call takes the next RTX sequence number.
     *
     * @return the packet's length, or -1 if it is no longer cached or does not fit
     */
    public int writeResend(int i, byte[] dst, int off, long nowNanos) {
        int slot = cache.find(resend[checkIndex(i, resendCount)], nowNanos);
        if (slot < 0) {
            return -1;
        }
        int len = rtx ? cache.writeRtx(slot, dst, off, rtxSsrc, rtxPayloadType, rtxSequence)
                : cache.copy(slot, dst, off);
        if (len > 0) {
            if (rtx) {
                rtxSequence = (rtxSequence + 1) & 0xFFFF;
            }
            resent++;
        }
        return len;
    }

    /**
     * Writes a probe: the newest cached packet again, as RTX (receivers drop the duplicate after counting its
     * arrival in their transport-cc feedback). Only with RTX: a plain duplicate would fail SRTP replay checks first.
     *
     * @return its length, or -1 without RTX or without a cached packet
     */
    public int writeProbe(byte[] dst, int off, long nowNanos) {
        if (!rtx) {
            return -1;
        }
        int slot = cache.newest(nowNanos);
        if (slot < 0) {
            return -1;
        }
        int len = cache.writeRtx(slot, dst, off, rtxSsrc, rtxPayloadType, rtxSequence);
        if (len > 0) {
            rtxSequence = (rtxSequence + 1) & 0xFFFF;
            probes++;
        }
        return len;
    }

    public boolean rtxEnabled() {
        return rtx;
    }

    public long probes() {
        return probes;
    }

    /** Sequence numbers of the last NACK that the cache lacks (never sent, or too old). */
    public int missingCount() {
        return missingCount;
    }

    public int missingSequence(int i) {
        return missing[checkIndex(i, missingCount)];
    }

    public long resent() {
        return resent;
    }

    /** NACKed packets not resent because they were resent within the resend interval. */
    public long suppressed() {
        return suppressed;
    }

    public long missed() {
        return missed;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private static int checkIndex(int i, int n) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(i);
        }
        return i;
    }
}
