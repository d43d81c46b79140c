package org.conclave.sfu.repair;

import java.util.Arrays;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.rtp.ShrinkWindow;

/**
 * The last packets of one incoming stream, as received (after SRTP, before any rewriting), by sequence number, for
 * answering every receiver's NACKs (each receiver's {@code SentLog} says which input packet it got). Packet thread
 * only; no allocation per packet.
 *
 * <p>Packets are stored back to back in one byte ring, each behind a 4-byte record header (length, sequence), so the
 * cache holds what the stream carries rather than a 1,500-byte slot per packet: a thumbnail's second of ~600-byte
 * packets takes ~22 KB, not 96 KB. An index by sequence number ({@code seq & mask}) says where each packet's record
 * starts. Both grow (allocating, at most ~25 times per stream, never per packet) only when they would otherwise drop
 * a packet younger than the max age: the index doubles up to {@code maxPackets} slots, the ring grows by a quarter
 * (so it ends within a quarter of what the stream needs) up to {@code maxPackets} largest packets. A record never
 * wraps around the ring's end: the space left there is skipped by a padding record.
 *
 * <p>Both shrink back from the packet thread's housekeeping ({@link #trim}, between packets): a ring that grew in a
 * burst (a stalled packet thread hands over a second of arrivals at once) or whose stream went quiet is reallocated
 * smaller once a whole window passed in which the packets within max age used less than a fraction of it
 * ({@link ShrinkWindow}), keeping every packet younger than the max age.
 *
 * <p>Slot indexes returned by {@link #find} are valid until the next {@link #put}.
 */
public final class PacketCache {
    /** Largest packet kept: the packet thread's largest datagram. */
    public static final int SLOT_BYTES = 1500;
    /** Index slots allocated up front: enough for a thumbnail's second of packets. */
    public static final int INITIAL_CAPACITY = 64;
    /** Ring bytes allocated up front: two largest records, so that one always fits after a padding record. */
    public static final int INITIAL_RING_BYTES = 2 * record(SLOT_BYTES);
    static final int HEADER = 4;
    /** Set in a record header's length: the record is padding up to the ring's end, not a packet. */
    private static final int PADDING = 0x8000;
    private static final int EMPTY = -1;

    private final int maxCapacity;
    private final int maxRingBytes;
    private final long maxAgeNanos;
    // The index, by seq & mask.
    private int[] seqs;
    private int[] lengths;
    private long[] storedNanos;
    /** Logical ring position of each packet's record (bytes written before it, since the last rebase). */
    private long[] positions;
    private int mask;
    // The ring: logical positions [tail, head) hold records; position p lives at ring[p % ring.length].
    private byte[] ring;
    private long head;
    private long tail;
    // Shrinking (see trim): records before liveTail are stale, padding or replaced; the windows watch what the
    // packets within max age span, in ring bytes and in sequence numbers.
    private long liveTail;
    private int newestSeq = EMPTY;
    private final ShrinkWindow ringWindow;
    private final ShrinkWindow indexWindow;

    public PacketCache(NackOptions options) {
        this(options.cachePackets(), options.cacheMaxAgeMillis());
    }

    /** @param maxPackets a power of two */
    public PacketCache(int maxPackets, long maxAgeMillis) {
        if (maxPackets < 1 || Integer.bitCount(maxPackets) != 1) {
            throw new IllegalArgumentException("maxPackets must be a power of two: " + maxPackets);
        }
        this.maxCapacity = maxPackets;
        this.maxRingBytes = Math.max(INITIAL_RING_BYTES, maxPackets * record(SLOT_BYTES));
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
        this.ringWindow = new ShrinkWindow(maxAgeNanos);
        this.indexWindow = new ShrinkWindow(maxAgeNanos);
        allocateIndex(Math.min(INITIAL_CAPACITY, maxPackets));
        ring = new byte[INITIAL_RING_BYTES];
    }

    /**
     * Copies an incoming RTP packet in, replacing whatever had its slot.
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
            rehashIndex(seqs.length * 2, Long.MIN_VALUE);
            indexWindow.restart(nowNanos);
            slot = seq & mask;
        }
        seqs[slot] = EMPTY; // while the ring makes room, so that it does not count the packet it replaces
        long at = reserve(record(len), nowNanos);
        int p = physical(at);
        writeHeader(p, len, seq);
        System.arraycopy(b, off, ring, p + HEADER, len);
        seqs[slot] = seq;
        lengths[slot] = len;
        storedNanos[slot] = nowNanos;
        positions[slot] = at;
        if (newestSeq < 0 || (short) (seq - newestSeq) > 0) {
            newestSeq = seq;
        }
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

    /** Copies the packet as it was received. @return its length, or -1 if it does not fit in {@code dst} */
    public int copy(int slot, byte[] dst, int off) {
        int len = lengths[slot];
        if (off < 0 || len > dst.length - off) {
            return -1;
        }
        System.arraycopy(ring, physical(positions[slot]) + HEADER, dst, off, len);
        return len;
    }

    /** Forgets every packet (the memory stays allocated). */
    public void clear() {
        Arrays.fill(seqs, EMPTY);
        head = 0;
        tail = 0;
        liveTail = 0;
        newestSeq = EMPTY;
    }

    /** Index slots currently allocated. */
    public int capacity() {
        return seqs.length;
    }

    /** Ring bytes currently allocated. */
    public int ringBytes() {
        return ring.length;
    }

    /**
     * Housekeeping, between packets (the packet thread calls it every {@code Housekeeping.TRIM_INTERVAL_NS}): samples
     * how many ring bytes and sequence numbers the packets within max age span now and, at the end of a window in which
     * that stayed below {@link ShrinkWindow#BELOW_PERCENT} of the ring or the index, reallocates them smaller (the
     * ring: the peak + {@link ShrinkWindow#HEADROOM_PERCENT} + one largest record, for the padding at its end), keeping
     * every packet younger than the max age. Allocates at most once per window; a growth restarts the window.
     */
    public void trim(long nowNanos) {
        advanceLiveTail(nowNanos);
        long spanPeak = indexWindow.sample(liveSpan(), seqs.length, nowNanos);
        if (spanPeak >= 0) {
            int target = ShrinkWindow.powerOfTwoFor(spanPeak, Math.min(INITIAL_CAPACITY, maxCapacity));
            while (target < seqs.length && liveCollide(target, nowNanos)) {
                target <<= 1; // reordered sequence numbers span more than the peak said
            }
            if (target < seqs.length) {
                rehashIndex(target, nowNanos);
                indexWindow.restart(nowNanos);
            }
        }
        long bytesPeak = ringWindow.sample(head - liveTail, ring.length, nowNanos);
        if (bytesPeak >= 0) {
            long target = ShrinkWindow.withHeadroom(bytesPeak) + record(SLOT_BYTES);
            int size = (int) Math.max(INITIAL_RING_BYTES, Math.min(ring.length, target)) & ~3;
            if (size < ring.length) {
                compactRing(size, nowNanos);
                ringWindow.restart(nowNanos);
            }
        }
    }

    /**
     * Makes room at the head for a record of {@code size} bytes (after a padding record if it would cross the ring's
     * end), dropping the oldest records, or growing the ring rather than drop a packet younger than the max age.
     *
     * @return the record's logical position
     */
    private long reserve(int size, long nowNanos) {
        while (true) {
            int toEnd = ring.length - physical(head);
            int needed = size <= toEnd ? size : toEnd + size;
            if (dropUntilFree(needed, nowNanos)) {
                break;
            }
            growRing();
            ringWindow.restart(nowNanos);
        }
        int toEnd = ring.length - physical(head);
        if (size > toEnd) {
            writeHeader(physical(head), PADDING | toEnd, 0);
            head += toEnd;
        }
        long at = head;
        head += size;
        return at;
    }

    /**
     * Drops records from the tail until {@code needed} bytes are free. @return false, having dropped only what was
     * stale or orphaned, if it would have to drop a packet younger than the max age and the ring may still grow
     */
    private boolean dropUntilFree(int needed, long nowNanos) {
        while (head + needed - tail > ring.length) {
            int p = physical(tail);
            int len = readUint16(p);
            if ((len & PADDING) != 0) {
                tail += len & ~PADDING;
                continue;
            }
            int seq = readUint16(p + 2);
            int slot = seq & mask;
            if (seqs[slot] == seq && positions[slot] == tail) {
                if (nowNanos - storedNanos[slot] < maxAgeNanos && ring.length < maxRingBytes) {
                    return false;
                }
                seqs[slot] = EMPTY;
            }
            tail += record(len);
        }
        return true;
    }

    /** Grows the ring by a quarter (to at most the max), keeping every record; positions are rebased to the tail. */
    private void growRing() {
        int size = (int) Math.min(maxRingBytes, ring.length + (long) (ring.length >> 2));
        size &= ~3; // records stay 4-byte aligned, so the space before the ring's end fits a padding header
        byte[] grown = new byte[size];
        int used = (int) (head - tail);
        int p = physical(tail);
        int first = Math.min(used, ring.length - p);
        System.arraycopy(ring, p, grown, 0, first);
        System.arraycopy(ring, 0, grown, first, used - first);
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i] != EMPTY) {
                positions[i] -= tail;
            }
        }
        liveTail = Math.max(liveTail, tail) - tail;
        ring = grown;
        head = used;
        tail = 0;
    }

    /**
     * Reallocates the index at {@code capacity}, keeping every entry ({@code nowNanos} Long.MIN_VALUE: growing, where
     * entries distinct modulo the old capacity are distinct modulo the new one) or those within max age (shrinking, to
     * a capacity where they do not collide).
     */
    private void rehashIndex(int capacity, long nowNanos) {
        int[] oldSeqs = seqs;
        int[] oldLengths = lengths;
        long[] oldStored = storedNanos;
        long[] oldPositions = positions;
        allocateIndex(capacity);
        for (int i = 0; i < oldSeqs.length; i++) {
            if (oldSeqs[i] == EMPTY || nowNanos != Long.MIN_VALUE && nowNanos - oldStored[i] > maxAgeNanos) {
                continue;
            }
            int slot = oldSeqs[i] & mask;
            seqs[slot] = oldSeqs[i];
            lengths[slot] = oldLengths[i];
            storedNanos[slot] = oldStored[i];
            positions[slot] = oldPositions[i];
        }
    }

    private void allocateIndex(int capacity) {
        seqs = new int[capacity];
        lengths = new int[capacity];
        storedNanos = new long[capacity];
        positions = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(seqs, EMPTY);
    }

    /** Moves {@link #liveTail} past the records no {@link #find} would return any more (time only moves forward). */
    private void advanceLiveTail(long nowNanos) {
        liveTail = Math.max(liveTail, tail);
        while (liveTail < head) {
            int p = physical(liveTail);
            int len = readUint16(p);
            if ((len & PADDING) != 0) {
                liveTail += len & ~PADDING;
                continue;
            }
            int seq = readUint16(p + 2);
            if (isLive(seq & mask, nowNanos) && seqs[seq & mask] == seq && positions[seq & mask] == liveTail) {
                return;
            }
            liveTail += record(len);
        }
        newestSeq = EMPTY;
    }

    /** Sequence numbers from the oldest packet within max age to the newest (after {@link #advanceLiveTail}). */
    private int liveSpan() {
        if (liveTail >= head || newestSeq < 0) {
            return 0;
        }
        return ((newestSeq - readUint16(physical(liveTail) + 2)) & 0xFFFF) + 1;
    }

    private boolean isLive(int slot, long nowNanos) {
        return seqs[slot] != EMPTY && nowNanos - storedNanos[slot] <= maxAgeNanos;
    }

    /** Whether two packets within max age would share a slot of an index of {@code capacity} (a divisor of ours). */
    private boolean liveCollide(int capacity, long nowNanos) {
        for (int j = 0; j < capacity; j++) {
            int live = 0;
            for (int i = j; i < seqs.length && live < 2; i += capacity) {
                live += isLive(i, nowNanos) ? 1 : 0;
            }
            if (live > 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reallocates the ring at {@code size} with only the packets within max age, back to back from position 0 (their
     * bytes span at most the window's peak, below the new size); the index forgets every other packet.
     */
    private void compactRing(int size, long nowNanos) {
        for (int i = 0; i < seqs.length; i++) {
            if (!isLive(i, nowNanos)) {
                seqs[i] = EMPTY;
            }
        }
        byte[] fresh = new byte[size];
        int at = 0;
        for (long pos = liveTail; pos < head; ) {
            int p = physical(pos);
            int len = readUint16(p);
            if ((len & PADDING) != 0) {
                pos += len & ~PADDING;
                continue;
            }
            int seq = readUint16(p + 2);
            int slot = seq & mask;
            if (seqs[slot] == seq && positions[slot] == pos) {
                System.arraycopy(ring, p, fresh, at, record(len));
                positions[slot] = at;
                at += record(len);
            }
            pos += record(len);
        }
        ring = fresh;
        head = at;
        tail = 0;
        liveTail = 0;
    }

    private int physical(long position) {
        return (int) (position % ring.length);
    }

    private void writeHeader(int p, int len, int seq) {
        ring[p] = (byte) (len >> 8);
        ring[p + 1] = (byte) len;
        ring[p + 2] = (byte) (seq >> 8);
        ring[p + 3] = (byte) seq;
    }

    private int readUint16(int p) {
        return (ring[p] & 0xFF) << 8 | ring[p + 1] & 0xFF;
    }

    /** A packet's record: header and packet, rounded up to 4 bytes. */
    private static int record(int len) {
        return (HEADER + len + 3) & ~3;
    }
}
