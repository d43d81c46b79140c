package org.conclave.sfu.bwe;

import java.util.Arrays;
import org.conclave.sfu.rtcp.TransportCcWriter;

/**
 * The receive side of transport-wide congestion control for one sender: remembers when each transport-wide
 * sequence number arrived and writes the feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01) that lets the
 * sender's own estimator (Chrome's GCC) find its uplink. Without it, a sender that negotiated transport-cc stays at
 * its start rate and never enables its top simulcast layer. Packet thread only; no allocation after construction.
 */
public final class ArrivalRecorder {
    /** Sequence numbers one feedback covers at most; a larger jump restarts (sender restart or garbage). */
    static final int WINDOW = 1024;
    private static final int MASK = WINDOW - 1;

    private final long[] arrivalUs = new long[WINDOW];
    private final long[] scratch = new long[WINDOW];
    private final long epochNanos;
    private long nextToReport = -1;
    private long highest = -1;
    private int feedbackCount;
    private long restarts;

    public ArrivalRecorder(long epochNanos) {
        this.epochNanos = epochNanos;
        Arrays.fill(arrivalUs, -1);
    }

    /** A packet carrying transport-wide sequence {@code seq16} arrived. */
    public void onPacket(int seq16, long nowNanos) {
        long ext;
        if (highest < 0) {
            ext = seq16 & 0xFFFF;
            nextToReport = ext;
        } else {
            ext = highest + (short) (seq16 - (int) (highest & 0xFFFF));
        }
        if (ext < nextToReport) {
            return; // already reported as lost; too late to matter
        }
        if (ext - nextToReport >= WINDOW) {
            restarts++;
            clear(nextToReport, highest);
            nextToReport = ext;
            highest = ext;
        }
        if (ext > highest) highest = ext;
        arrivalUs[(int) (ext & MASK)] = Math.max(0, (nowNanos - epochNanos) / 1_000);
    }

    public boolean hasNews() {
        return highest >= 0 && highest >= nextToReport;
    }

    /**
     * Writes feedback for everything since the last one and forgets it.
     *
     * @return the RTCP packet's length, or -1 when there is nothing to report or it does not fit
     */
    public int write(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        if (!hasNews()) return -1;
        int count = (int) (highest - nextToReport + 1);
        for (int i = 0; i < count; i++) scratch[i] = arrivalUs[(int) ((nextToReport + i) & MASK)];
        int n = TransportCcWriter.write(buf, off, senderSsrc, mediaSsrc, (int) (nextToReport & 0xFFFF), scratch, count,
                feedbackCount & 0xFF);
        clear(nextToReport, highest);
        nextToReport = highest + 1;
        feedbackCount++;
        return n;
    }

    public long restarts() {
        return restarts;
    }

    private void clear(long from, long to) {
        for (long s = from; s <= to && s - from < WINDOW; s++) arrivalUs[(int) (s & MASK)] = -1;
    }
}
