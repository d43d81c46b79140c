package org.conclave.sfu.rtp;

/**
 * Reception statistics of one incoming SSRC, per RFC 3550 appendix A.1 (sequence validation with probation), A.3
 * (expected and lost packets) and A.8 (interarrival jitter), plus what an RR report block needs about the last
 * sender report (LSR/DLSR).
 *
 * <p>Times are {@code NanoClock} values passed in by the caller. Not thread-safe; no allocation after construction.
 */
public final class ReceiveStatistics {
    /** RFC 3550 A.1: packets in sequence before a source is valid. */
    public static final int DEFAULT_MIN_SEQUENTIAL = 2;
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;
    /** A transit jump above this many seconds is a sender restart, not jitter. */
    private static final long MAX_JITTER_STEP_SECONDS = 5;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long DLSR_UNITS_PER_SECOND = 65_536;
    private static final int MAX_CUMULATIVE_LOST = 0x7F_FFFF;
    private static final int MIN_CUMULATIVE_LOST = -0x80_0000;
    public static final int REPORT_BLOCK_LENGTH = 24;

    private final int ssrc;
    private final int clockRate;
    private final int minSequential;

    private boolean initialized;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private boolean haveTransit;
    private long firstArrivalNanos;
    private int lastTransit;
    private long jitterQ4;

    private long lastSrNtpMiddle;
    private long lastSrArrivalNanos;
    private boolean haveSr;

    public ReceiveStatistics(int ssrc, int clockRate) {
        this(ssrc, clockRate, DEFAULT_MIN_SEQUENTIAL);
    }

    /** @param minSequential packets in sequence before the source counts as valid; 1 accepts the first packet */
    public ReceiveStatistics(int ssrc, int clockRate, int minSequential) {
        if (clockRate <= 0 || minSequential < 1) {
            throw new IllegalArgumentException("clockRate and minSequential must be positive");
        }
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        this.minSequential = minSequential;
    }

    /**
     * Accounts one received packet.
     *
     * @return whether the packet is valid for this source (false while on probation, or for a packet the RFC's
     *     algorithm treats as a large jump until the jump is confirmed by a second packet)
     */
    public boolean onPacket(int seq, long rtpTimestamp, long arrivalNanos) {
        seq &= 0xFFFF;
        if (!initialized) {
            initialized = true;
            initSeq(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = minSequential;
        }
        boolean advanced = false;
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    updateJitter(rtpTimestamp, arrivalNanos);
                    return true;
                }
            } else {
                probation = minSequential - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            advanced = udelta != 0;
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two sequential packets after a big jump: the sender restarted its sequence.
                initSeq(seq);
                haveTransit = false;
                advanced = true;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        }
        received++;
        if (advanced) {
            updateJitter(rtpTimestamp, arrivalNanos);
        }
        return true;
    }

    /**
     * Remembers a sender report from this source for the LSR/DLSR fields.
     *
     * @param ntpTimestamp the SR's 64-bit NTP timestamp
     */
    public void onSenderReport(long ntpTimestamp, long arrivalNanos) {
        lastSrNtpMiddle = (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
        lastSrArrivalNanos = arrivalNanos;
        haveSr = true;
    }

    public int ssrc() {
        return ssrc;
    }

    /** Whether probation is over and packets are being counted. */
    public boolean valid() {
        return initialized && probation == 0;
    }

    /** Extended highest sequence number received: cycles in the high 16 bits. */
    public long extendedHighestSeq() {
        return (cycles + maxSeq) & 0xFFFF_FFFFL;
    }

    public long cycles() {
        return cycles >>> 16;
    }

    public long received() {
        return received;
    }

    public long expected() {
        return valid() ? cycles + maxSeq - baseSeq + 1 : 0;
    }

    /** Cumulative lost packets, clamped to the RR's signed 24 bits (negative with duplicates). */
    public int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, lost));
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /**
     * Fraction lost since the previous call, as the RR's 8-bit fixed point; starts a new reporting interval.
     */
    public int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) ((lostInterval << 8) / expectedInterval);
    }

    /** Middle 32 bits of the last SR's NTP timestamp, 0 if none yet. */
    public long lastSr() {
        return haveSr ? lastSrNtpMiddle : 0;
    }

    /** Delay since the last SR in 1/65536 seconds, 0 if none yet. */
    public long delaySinceLastSr(long nowNanos) {
        if (!haveSr) {
            return 0;
        }
        long elapsed = Math.max(0, nowNanos - lastSrArrivalNanos);
        return Math.min(0xFFFF_FFFFL, toUnits(elapsed, DLSR_UNITS_PER_SECOND));
    }

    /**
     * Writes a 24-byte RR report block for this source at {@code buf[off]} and starts a new loss interval.
     *
     * @return {@link #REPORT_BLOCK_LENGTH}, or -1 (nothing written) if it does not fit
     */
    public int writeReportBlock(byte[] buf, int off, long nowNanos) {
        if (off < 0 || buf.length - off < REPORT_BLOCK_LENGTH) {
            return -1;
        }
        Bytes.putInt32(buf, off, ssrc);
        buf[off + 4] = (byte) takeFractionLost();
        Bytes.putUint24(buf, off + 5, cumulativeLost());
        Bytes.putInt32(buf, off + 8, (int) extendedHighestSeq());
        Bytes.putInt32(buf, off + 12, (int) Math.min(0xFFFF_FFFFL, jitter()));
        Bytes.putInt32(buf, off + 16, (int) lastSr());
        Bytes.putInt32(buf, off + 20, (int) delaySinceLastSr(nowNanos));
        return REPORT_BLOCK_LENGTH;
    }

    /** Nanoseconds to units of a {@code rate} Hz clock, without overflow for any realistic duration. */
    private static long toUnits(long nanos, long rate) {
        return nanos / NANOS_PER_SECOND * rate + nanos % NANOS_PER_SECOND * rate / NANOS_PER_SECOND;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /** RFC 3550 A.8, in 32-bit RTP arithmetic; only packets that advance the sequence, so resends do not count. */
    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        if (!haveTransit) {
            firstArrivalNanos = arrivalNanos;
        }
        long elapsed = arrivalNanos - firstArrivalNanos;
        long arrival = toUnits(elapsed, clockRate);
        int transit = (int) (arrival - rtpTimestamp);
        if (haveTransit) {
            long d = Math.abs((long) (transit - lastTransit));
            if (d < MAX_JITTER_STEP_SECONDS * clockRate) {
                jitterQ4 += d - ((jitterQ4 + 8) >> 4);
            }
        }
        lastTransit = transit;
        haveTransit = true;
    }
}
