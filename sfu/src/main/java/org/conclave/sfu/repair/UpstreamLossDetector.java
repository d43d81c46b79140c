package org.conclave.sfu.repair;

import java.util.Arrays;
import org.conclave.sfu.rtp.ShrinkWindow;

/**
 * Notices gaps in one incoming stream's sequence numbers and says which to NACK to the sender, when: a gap is
 * NACKed once {@code reorderPackets} newer packets arrived or it has been missing {@code reorderMillis} (reordering
 * within that window costs nothing), then again every {@code upstreamRetryMillis}, at most
 * {@code upstreamMaxRetries} times; it is given up after {@code upstreamMaxAgeMillis}, or when more than
 * {@code upstreamMaxMissing} are missing (oldest first). Giving up means the receivers' decoders will miss a packet,
 * so a key frame is wanted ({@link #takeKeyFrameRequest}). Sequence numbers are unwrapped; a late packet (reordered
 * or retransmitted) clears its gap; duplicates and very old packets are ignored. Packet thread only; no allocation
 * per packet (the missing list doubles a few times at most, in a loss burst of more than 16, and shrinks back from
 * housekeeping once a window of smaller loss passed: {@link #trim}).
 */
public final class UpstreamLossDetector {
    /** A jump this large is a sender restart or garbage, not loss: start over instead of NACKing thousands. */
    static final int MAX_JUMP = 0x4000;

    private final int maxMissing;
    private final int maxRetries;
    private final long retryNanos;
    private final long maxAgeNanos;
    private final int reorderPackets;
    private final long reorderNanos;

    /** Missing packets tracked without growing: a loss burst of up to 16; more doubles the arrays up to the max. */
    static final int INITIAL_MISSING = 16;
    private final int initialMissing;
    /** When the arrays may shrink back after a loss burst: what is missing is kept at most the max age. */
    private final ShrinkWindow window;

    // Missing packets, ascending by extended sequence number, in [0, count).
    private long[] missingSeq;
    private long[] firstMissingNanos;
    private long[] lastNackNanos;
    private int[] retries;
    private int count;

    private boolean started;
    private long highest;
    private boolean keyFrameWanted;
    private long nacksSent;
    private long recovered;
    private long gaveUp;

    public UpstreamLossDetector(NackOptions options) {
        maxMissing = options.upstreamMaxMissing();
        maxRetries = options.upstreamMaxRetries();
        retryNanos = options.upstreamRetryMillis() * 1_000_000;
        maxAgeNanos = options.upstreamMaxAgeMillis() * 1_000_000;
        reorderPackets = options.reorderPackets();
        reorderNanos = options.reorderMillis() * 1_000_000;
        initialMissing = Math.min(INITIAL_MISSING, maxMissing);
        window = new ShrinkWindow(maxAgeNanos);
        missingSeq = new long[initialMissing];
        firstMissingNanos = new long[initialMissing];
        lastNackNanos = new long[initialMissing];
        retries = new int[initialMissing];
    }

    /**
     * One packet of the stream arrived (for RTX, pass the original sequence number from its payload).
     *
     * @return how many sequence numbers became missing because of it
     */
    public int onPacket(int seq16, long nowNanos) {
        if (!started) {
            started = true;
            highest = seq16 & 0xFFFF;
            return 0;
        }
        long ext = highest + (short) ((seq16 & 0xFFFF) - (int) (highest & 0xFFFF));
        if (ext <= highest) {
            if (remove(ext)) {
                recovered++;
            }
            return 0;
        }
        long gap = ext - highest - 1;
        if (gap >= MAX_JUMP) {
            giveUp(count);
            keyFrameWanted = true;
            highest = ext;
            return 0;
        }
        for (long s = Math.max(highest + 1, ext - maxMissing); s < ext; s++) {
            append(s, nowNanos);
        }
        if (gap > maxMissing) {
            gaveUp += gap - maxMissing;
            keyFrameWanted = true;
        }
        highest = ext;
        return (int) gap;
    }

    /**
     * Collects the sequence numbers to NACK now (marking them NACKed) and gives up on expired ones.
     *
     * @return how many were written to {@code out} (write them with {@code GenericNack.write})
     */
    public int collect(long nowNanos, int[] out) {
        int n = 0;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            boolean expired = nowNanos - firstMissingNanos[i] > maxAgeNanos
                    || (retries[i] >= maxRetries && nowNanos - lastNackNanos[i] >= retryNanos);
            if (expired) {
                gaveUp++;
                keyFrameWanted = true;
                continue;
            }
            boolean eligible = highest - missingSeq[i] >= reorderPackets
                    || nowNanos - firstMissingNanos[i] >= reorderNanos;
            boolean due = retries[i] == 0 || nowNanos - lastNackNanos[i] >= retryNanos;
            if (eligible && due && retries[i] < maxRetries && n < out.length) {
                out[n++] = (int) (missingSeq[i] & 0xFFFF);
                retries[i]++;
                lastNackNanos[i] = nowNanos;
                nacksSent++;
            }
            move(i, kept++);
        }
        count = kept;
        return n;
    }

    /** @return true once after packets were given up (request a key frame from the sender) */
    public boolean takeKeyFrameRequest() {
        boolean wanted = keyFrameWanted;
        keyFrameWanted = false;
        return wanted;
    }

    public int missingCount() {
        return count;
    }

    public long nacksSent() {
        return nacksSent;
    }

    /** Gaps closed by a late or retransmitted packet. */
    public long recovered() {
        return recovered;
    }

    /**
     * Housekeeping, between packets: samples how many packets are missing and, at the end of a window in which that
     * stayed below {@code ShrinkWindow.BELOW_PERCENT} of the arrays, reallocates them at the window's peak plus the
     * headroom, never below the initial size; every missing packet stays (the peak includes them). At most once per
     * window.
     */
    public void trim(long nowNanos) {
        long peak = window.sample(count, missingSeq.length, nowNanos);
        if (peak < 0) {
            return;
        }
        int target = (int) Math.max(initialMissing, ShrinkWindow.withHeadroom(peak));
        if (target < missingSeq.length) {
            resize(target);
            window.restart(nowNanos);
        }
    }

    /** Missing packets the arrays hold before they next grow. */
    int missingCapacity() {
        return missingSeq.length;
    }

    public long gaveUp() {
        return gaveUp;
    }

    private void append(long ext, long nowNanos) {
        if (count == maxMissing) {
            giveUp(1);
        } else if (count == missingSeq.length) {
            resize(Math.min(maxMissing, count * 2));
            window.restart(nowNanos);
        }
        missingSeq[count] = ext;
        firstMissingNanos[count] = nowNanos;
        lastNackNanos[count] = nowNanos;
        retries[count] = 0;
        count++;
    }

    /** Reallocates the arrays at {@code size}, at least {@link #count}: the missing packets stay. */
    private void resize(int size) {
        missingSeq = Arrays.copyOf(missingSeq, size);
        firstMissingNanos = Arrays.copyOf(firstMissingNanos, size);
        lastNackNanos = Arrays.copyOf(lastNackNanos, size);
        retries = Arrays.copyOf(retries, size);
    }

    /** Drops the {@code n} oldest missing packets. */
    private void giveUp(int n) {
        if (n <= 0) {
            return;
        }
        gaveUp += n;
        keyFrameWanted = true;
        for (int i = n; i < count; i++) {
            move(i, i - n);
        }
        count -= n;
    }

    private boolean remove(long ext) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (missingSeq[mid] < ext) {
                lo = mid + 1;
            } else if (missingSeq[mid] > ext) {
                hi = mid - 1;
            } else {
                for (int i = mid + 1; i < count; i++) {
                    move(i, i - 1);
                }
                count--;
                return true;
            }
        }
        return false;
    }

    private void move(int from, int to) {
        if (from == to) {
            return;
        }
        missingSeq[to] = missingSeq[from];
        firstMissingNanos[to] = firstMissingNanos[from];
        lastNackNanos[to] = lastNackNanos[from];
        retries[to] = retries[from];
    }
}
