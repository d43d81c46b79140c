package org.conclave.sfu.repair;

import org.conclave.sfu.rtp.RtpPacket;

/**
 * The last packets of one incoming stream, as received (after SRTP, before any rewriting), by sequence number, for
 * answering every receiver's NACKs (each receiver's {@code SentLog} says which input packet it got). Packets are copied into pre-allocated slots. The ring starts small and doubles (allocating, at most
 * log2(max/initial) times per stream) only when it would otherwise overwrite a packet younger than the max age, so a
 * thumbnail does not hold as much memory as a full-res stream. Packet thread only; no allocation per packet.
 *
 * <p>Slot indexes returned by {@link #find} are valid until the next {@link #put}.
 */
public final class PacketCache {
    /** Largest packet kept: the packet thread's largest datagram. */
    public static final int SLOT_BYTES = 1500;
    /** Slots allocated up front: enough for a thumbnail's second of packets. */
    public static final int INITIAL_CAPACITY = 64;
    private static final int EMPTY = -1;

    private final int maxCapacity;
    private final long maxAgeNanos;
    private byte[][] data;
    private int[] seqs;
    private int[] lengths;
    private long[] storedNanos;
    private int mask;

    public PacketCache(NackOptions options) {
        this(options.cachePackets(), options.cacheMaxAgeMillis());
    }

    /** @param maxPackets a power of two */
    public PacketCache(int maxPackets, long maxAgeMillis) {
        if (maxPackets < 1 || Integer.bitCount(maxPackets) != 1) {
            throw new IllegalArgumentException("maxPackets must be a power of two: " + maxPackets);
        }
        this.maxCapacity = maxPackets;
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
        allocate(Math.min(INITIAL_CAPACITY, maxPackets));
    }

    /**
     * Copies an outgoing RTP packet in, replacing whatever had its slot.
     *
     * @return false if it is not a valid RTP packet or is larger than {@link #SLOT_BYTES}
     */
    public boolean put(byte[] b, int off, int len, long nowNanos) {
        if (len > SLOT_BYTES || RtpPacket.validate(b, off, len) < 0) {
            return false;
        }
        int seq = RtpPacket.sequence(b, off);
        int slot = seq & mask;
        while (seqs[slot] != EMPTY && seqs[slot] != seq && nowNanos - storedNanos[slot] < maxAgeNanos
                && seqs.length < maxCapacity) {
            grow();
            slot = seq & mask;
        }
        System.arraycopy(b, off, data[slot], 0, len);
        seqs[slot] = seq;
        lengths[slot] = len;
        storedNanos[slot] = nowNanos;
        return true;
    }

    /** @return the slot holding {@code seq} if it is younger than the max age, else -1 */
    public int find(int seq, long nowNanos) {
        seq &= 0xFFFF;
        int slot = seq & mask;
        if (seqs[slot] != seq || nowNanos - storedNanos[slot] > maxAgeNanos) {
            return -1;
        }
        return slot;
    }

    public int length(int slot) {
        return lengths[slot];
    }

    /** Copies the packet as it was sent. @return its length, or -1 if it does not fit in {@code dst} */
    public int copy(int slot, byte[] dst, int off) {
        int len = lengths[slot];
        if (off < 0 || len > dst.length - off) {
            return -1;
        }
        System.arraycopy(data[slot], 0, dst, off, len);
        return len;
    }

    /** Forgets every packet (their slots stay allocated). */
    public void clear() {
        java.util.Arrays.fill(seqs, EMPTY);
    }

    /** Slots currently allocated. */
    public int capacity() {
        return seqs.length;
    }

    private void grow() {
        byte[][] oldData = data;
        int[] oldSeqs = seqs;
        int[] oldLengths = lengths;
        long[] oldStored = storedNanos;
        int capacity = oldSeqs.length * 2;
        data = new byte[capacity][];
        seqs = new int[capacity];
        lengths = new int[capacity];
        storedNanos = new long[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(seqs, EMPTY);
        int spare = 0;
        byte[][] spares = new byte[oldSeqs.length][];
        for (int i = 0; i < oldSeqs.length; i++) {
            if (oldSeqs[i] == EMPTY) {
                spares[spare++] = oldData[i];
                continue;
            }
            // Distinct modulo the old capacity means distinct modulo the new one: no collisions.
            int slot = oldSeqs[i] & mask;
            data[slot] = oldData[i];
            seqs[slot] = oldSeqs[i];
            lengths[slot] = oldLengths[i];
            storedNanos[slot] = oldStored[i];
        }
        for (int i = 0; i < capacity; i++) {
            if (data[i] == null) {
                data[i] = spare > 0 ? spares[--spare] : new byte[SLOT_BYTES];
            }
        }
    }

    private void allocate(int capacity) {
        data = new byte[capacity][SLOT_BYTES];
        seqs = new int[capacity];
        lengths = new int[capacity];
        storedNanos = new long[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(seqs, EMPTY);
    }
}
