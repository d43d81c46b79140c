package org.conclave.sfu.e2ee;

/**
 * The recent frames of one incoming media stream, by RTP timestamp: whether each was forwarded or refused, and which
 * packet started it, so the rest of a frame shares its start's verdict, a repeated start (RTX, duplicate) is known,
 * and a second start in one frame (plaintext H264 with several slices) is caught. Packet thread only; no allocation
 * after construction.
 */
public final class StreamFrames {
    static final int CAPACITY = 32;

    static final byte UNKNOWN = 0;
    /** Continuation packets seen and forwarded; the start has not arrived (lost, being repaired). */
    static final byte PENDING = 1;
    static final byte ACCEPTED = 2;
    static final byte REFUSED = 3;

    private final long[] timestamps = new long[CAPACITY];
    private final int[] startSeqs = new int[CAPACITY];
    private final byte[] states = new byte[CAPACITY];
    private int next;
    /** While the endpoint was not trusted, the newest timestamp seen: older frames of unknown fate are refused. */
    private boolean hadUntrusted;
    private long untrustedNewest;
    /** The last refused frame's timestamp, so refused frames are counted once, not per packet. */
    private boolean hasRefused;
    private long lastRefused;

    /** The slot of the frame with this RTP timestamp, or -1. */
    int find(long timestamp) {
        for (int i = 0; i < CAPACITY; i++) {
            if (states[i] != UNKNOWN && timestamps[i] == timestamp) return i;
        }
        return -1;
    }

    byte state(int slot) {
        return states[slot];
    }

    int startSeq(int slot) {
        return startSeqs[slot];
    }

    /** Records (or updates) a frame; the oldest entry gives way. @return its slot */
    int put(int slot, long timestamp, int startSeq, byte state) {
        if (slot < 0) {
            slot = next;
            next = (next + 1) % CAPACITY;
        }
        timestamps[slot] = timestamp;
        startSeqs[slot] = startSeq;
        states[slot] = state;
        return slot;
    }

    /** A packet seen while the endpoint is not trusted: frames up to this timestamp stay refused afterwards. */
    public void untrusted(long timestamp) {
        if (!hadUntrusted || newer(timestamp, untrustedNewest)) untrustedNewest = timestamp;
        hadUntrusted = true;
    }

    /** Whether a frame of unknown fate with this timestamp may be from before the endpoint was trusted. */
    boolean fromUntrustedTime(long timestamp) {
        return hadUntrusted && !newer(timestamp, untrustedNewest);
    }

    /** @return whether this refused packet belongs to a frame not counted yet */
    boolean countRefused(long timestamp) {
        if (hasRefused && lastRefused == timestamp) return false;
        hasRefused = true;
        lastRefused = timestamp;
        return true;
    }

    /** Forgets every frame (the endpoint starts learning again). */
    void clear() {
        java.util.Arrays.fill(states, UNKNOWN);
    }

    /** RTP timestamps wrap at 2^32: a is newer than b when it is ahead by less than half the range. */
    static boolean newer(long a, long b) {
        long d = (a - b) & 0xFFFFFFFFL;
        return d != 0 && d < 0x80000000L;
    }
}
