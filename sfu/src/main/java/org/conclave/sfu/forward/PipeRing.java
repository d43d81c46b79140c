package org.conclave.sfu.forward;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of the in-process pipe between two packet threads: a single-producer, single-consumer ring of
 * pre-allocated slots. Media goes one way (a source decrypted once on its thread, handed to the other thread's
 * receivers), feedback the other (key-frame requests, the other thread's viewers' rate limit). Nothing is allocated
 * or locked per message: the producer fills a slot and publishes it with a release store, the consumer reads it after
 * an acquire load and frees it the same way. A full ring drops (counted): media is real time.
 */
final class PipeRing {
    /** Message kinds. */
    static final int MEDIA = 1;
    static final int SENDER_REPORT = 2;
    static final int KEY_FRAME = 3;
    static final int CLAMP = 4;

    final PacketThread producer;
    final PacketThread consumer;
    private final int mask;
    private final byte[][] data;
    private final int[] length;
    private final int[] kind;
    private final Object[] target;
    private final int[] arg;
    private final long[] value1;
    private final long[] value2;
    /** Next slot to read (written by the consumer) and next to write (by the producer). */
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    /** The producer's last look at {@link #head}, so it reads the consumer's cache line only when it seems full. */
    private long headSeen;
    private long claimed = -1;
    private long reading = -1;
    /** Producer only: something was published since the consumer was last woken ({@link Pipes#wakeConsumers}). */
    boolean produced;
    /** Messages the producer dropped on a full ring. */
    volatile long drops;

    /** @param capacity a power of two: messages in flight at most */
    PipeRing(PacketThread producer, PacketThread consumer, int capacity, int slotBytes) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("not a power of two: " + capacity);
        this.producer = producer;
        this.consumer = consumer;
        this.mask = capacity - 1;
        this.data = new byte[capacity][slotBytes];
        this.length = new int[capacity];
        this.kind = new int[capacity];
        this.target = new Object[capacity];
        this.arg = new int[capacity];
        this.value1 = new long[capacity];
        this.value2 = new long[capacity];
    }

    // ---------------------------------------------------------------- producer side

    /** Claims the next slot; @return its index, or -1 when the ring is full (the message is dropped) */
    int claim(int messageKind, Object to, int argument, long v1, long v2) {
        long t = tail.get();
        if (t - headSeen > mask) {
            headSeen = head.get();
            if (t - headSeen > mask) {
                drops = drops + 1;
                return -1;
            }
        }
        int i = (int) (t & mask);
        kind[i] = messageKind;
        target[i] = to;
        arg[i] = argument;
        value1[i] = v1;
        value2[i] = v2;
        length[i] = 0;
        claimed = t;
        return i;
    }

    /** The claimed slot's buffer, to copy a packet into. */
    byte[] buffer(int slot) {
        return data[slot];
    }

    /** Publishes the claimed slot (with {@code len} bytes of packet, 0 for feedback). */
    void publish(int slot, int len) {
        length[slot] = len;
        tail.lazySet(claimed + 1);
    }

    /** A message without bytes, claimed and published at once. @return false if the ring was full */
    boolean offer(int messageKind, Object to, int argument, long v1, long v2) {
        int slot = claim(messageKind, to, argument, v1, v2);
        if (slot < 0) return false;
        publish(slot, 0);
        return true;
    }

    // ---------------------------------------------------------------- consumer side

    boolean isEmpty() {
        return head.get() == tail.get();
    }

    /** The next published slot, or -1; read it with the getters, then {@link #release}. */
    int poll() {
        long h = head.get();
        if (h == tail.get()) return -1;
        reading = h;
        return (int) (h & mask);
    }

    void release() {
        target[(int) (reading & mask)] = null;
        head.lazySet(reading + 1);
    }

    int kind(int slot) {
        return kind[slot];
    }

    Object target(int slot) {
        return target[slot];
    }

    int arg(int slot) {
        return arg[slot];
    }

    long value1(int slot) {
        return value1[slot];
    }

    long value2(int slot) {
        return value2[slot];
    }

    int length(int slot) {
        return length[slot];
    }

    byte[] data(int slot) {
        return data[slot];
    }
}
