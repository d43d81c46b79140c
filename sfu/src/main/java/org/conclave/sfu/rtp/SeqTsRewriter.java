package org.conclave.sfu.rtp;

/**
 * Rewrites RTP sequence numbers and timestamps of one forwarded source for one receiver, so the receiver sees a single
 * continuous stream while the input changes underneath (simulcast layer switch to another SSRC, sender restart).
 *
 * <p>In the spirit of mediasoup's SeqManager, with a fixed-size history instead of a set:
 * <ul>
 *   <li>The first packet ever maps to itself (same sequence number and timestamp).</li>
 *   <li>The first packet of a new input stream maps to the last output sequence + 1, and to the last output timestamp
 *       plus the wall time elapsed since that packet, converted at the clock rate (at least +1).</li>
 *   <li>{@link #drop} of a packet newer than any seen shifts every later packet down by one, so filtering creates
 *       no gap; packets missing upstream (lost, or in flight) keep their slot and map correctly when they arrive.</li>
 *   <li>Out-of-order packets map to where they belong; duplicates map to the same output as the original. Packets
 *       older than the start of the current input stream, dropped packets, and packets older than the retained drop
 *       history are {@link #REJECTED}.</li>
 * </ul>
 * One instance per (receiver, source); not thread-safe, no allocation per packet (the drop ranges are allocated at
 * the first {@link #drop} and double a few times at most).
 */
public final class SeqTsRewriter {
    /** Returned by {@link #rewrite} for a packet that must not be forwarded. */
    public static final long REJECTED = -1;

    /** Drop ranges remembered to place late packets; consecutive drops share one range. */
    public static final int DEFAULT_DROP_HISTORY = 128;
    /**
     * Ranges allocated at the first {@link #drop}, none before: most streams never drop (there is one rewriter per
     * receiver per source: 2 KB each at the maximum, 160 bytes at 8); the ring doubles as ranges accumulate, up to
     * the drop history.
     */
    static final int INITIAL_DROP_RANGES = 8;
    private static final long[] NO_RANGES = new long[0];
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long TS_MASK = 0xFFFF_FFFFL;
    private static final int SEQ_MASK = 0xFFFF;

    // Drop history: ring of inclusive ranges of extended input sequence numbers, oldest at dropHead.
    private final int maxDropRanges;
    private long[] dropStart;
    private long[] dropEnd;
    private int dropHead;
    private int dropCount;

    private boolean started;
    private long highestIn;
    private long streamStartIn;
    private long floorIn;
    private long droppedTotal;
    private long seqBase;
    private long tsOffset;
    private long highestOut;
    private long highestOutTs;
    private long highestOutNanos;

    public SeqTsRewriter() {
        this(DEFAULT_DROP_HISTORY);
    }

    public SeqTsRewriter(int dropHistory) {
        if (dropHistory < 1) {
            throw new IllegalArgumentException("dropHistory must be positive: " + dropHistory);
        }
        maxDropRanges = dropHistory;
        dropStart = NO_RANGES;
        dropEnd = NO_RANGES;
    }

    /**
     * Maps one input packet.
     *
     * @param inSeq input sequence number (low 16 bits used)
     * @param inTs input RTP timestamp (low 32 bits used)
     * @param newInputStream true for the first packet forwarded from a new input stream (other SSRC or restart)
     * @param nowNanos arrival time, from a {@code NanoClock}
     * @param clockRate RTP clock rate of the stream, Hz
     * @return {@link #REJECTED}, or the output sequence and timestamp packed; unpack with {@link #outSeq(long)} and
     *     {@link #outTs(long)}
     */
    public long rewrite(int inSeq, long inTs, boolean newInputStream, long nowNanos, int clockRate) {
        inSeq &= SEQ_MASK;
        inTs &= TS_MASK;
        if (!started || newInputStream) {
            startStream(inSeq, inTs, nowNanos, clockRate);
        }
        long ext = unwrap(inSeq);
        if (ext < streamStartIn || ext <= floorIn) {
            return REJECTED;
        }
        long droppedAfter = 0;
        for (int i = dropCount - 1; i >= 0; i--) {
            int slot = slot(i);
            if (dropEnd[slot] < ext) {
                break;
            }
            if (dropStart[slot] <= ext) {
                return REJECTED;
            }
            droppedAfter += dropEnd[slot] - dropStart[slot] + 1;
        }
        long out = ext - (droppedTotal - droppedAfter) + seqBase;
        long outTs = (inTs + tsOffset) & TS_MASK;
        if (ext > highestIn) {
            highestIn = ext;
        }
        if (out > highestOut) {
            highestOut = out;
            highestOutTs = outTs;
            highestOutNanos = nowNanos;
        }
        return ((out & SEQ_MASK) << 32) | outTs;
    }

    /**
     * Marks an input packet of the current input stream as not forwarded, so later packets shift down. Only a packet
     * newer than any seen counts (an older one already has its output slot, which becomes a gap); before the first
     * {@link #rewrite} this does nothing.
     *
     * @return whether later packets shift
     */
    public boolean drop(int inSeq) {
        if (!started) {
            return false;
        }
        long ext = unwrap(inSeq & SEQ_MASK);
        if (ext <= highestIn) {
            return false;
        }
        highestIn = ext;
        droppedTotal++;
        if (dropCount > 0 && dropEnd[slot(dropCount - 1)] == ext - 1) {
            dropEnd[slot(dropCount - 1)] = ext;
            return true;
        }
        if (dropCount == dropStart.length && dropStart.length < maxDropRanges) {
            growDrops();
        }
        if (dropCount == dropStart.length) {
            // Forget the oldest range; packets up to its end can no longer be placed.
            floorIn = Math.max(floorIn, dropEnd[dropHead]);
            dropHead = (dropHead + 1) % dropStart.length;
            dropCount--;
        }
        int slot = slot(dropCount);
        dropStart[slot] = ext;
        dropEnd[slot] = ext;
        dropCount++;
        return true;
    }

    public static int outSeq(long rewritten) {
        return (int) (rewritten >>> 32) & SEQ_MASK;
    }

    public static long outTs(long rewritten) {
        return rewritten & TS_MASK;
    }

    /** Output minus input timestamp (mod 2^32) of the current input stream, e.g. to translate its sender reports. */
    public long timestampOffset() {
        return tsOffset;
    }

    /** Highest output sequence number sent so far (16 bits), or -1 before the first packet. */
    public int highestOutSeq() {
        return started ? (int) (highestOut & SEQ_MASK) : -1;
    }

    private void startStream(int inSeq, long inTs, long nowNanos, int clockRate) {
        if (!started) {
            seqBase = 0;
            tsOffset = 0;
            highestOut = inSeq - 1;
            highestOutTs = inTs;
            highestOutNanos = nowNanos;
        } else {
            long outTs = (highestOutTs + elapsedUnits(nowNanos - highestOutNanos, clockRate)) & TS_MASK;
            seqBase = highestOut + 1 - inSeq;
            tsOffset = (outTs - inTs) & TS_MASK;
        }
        started = true;
        highestIn = inSeq;
        streamStartIn = inSeq;
        floorIn = Long.MIN_VALUE;
        droppedTotal = 0;
        dropHead = 0;
        dropCount = 0;
    }

    private static long elapsedUnits(long elapsedNanos, int clockRate) {
        if (elapsedNanos <= 0 || clockRate <= 0) {
            return 1;
        }
        long units = elapsedNanos / NANOS_PER_SECOND * clockRate
                + elapsedNanos % NANOS_PER_SECOND * clockRate / NANOS_PER_SECOND;
        return Math.max(1, units);
    }

    private long unwrap(int seq) {
        return highestIn + (short) (seq - (int) (highestIn & SEQ_MASK));
    }

    /** Allocates the drop ring, or doubles it (up to the maximum), oldest range first. */
    private void growDrops() {
        int size = Math.min(maxDropRanges, dropStart.length == 0 ? INITIAL_DROP_RANGES : dropStart.length * 2);
        long[] start = new long[size];
        long[] end = new long[size];
        for (int i = 0; i < dropCount; i++) {
            start[i] = dropStart[slot(i)];
            end[i] = dropEnd[slot(i)];
        }
        dropStart = start;
        dropEnd = end;
        dropHead = 0;
    }

    /** Drop ranges currently allocated. */
    int dropCapacity() {
        return dropStart.length;
    }

    private int slot(int index) {
        return (dropHead + index) % dropStart.length;
    }
}
