package org.conclave.sfu.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagram pipe under Bouncy Castle's DTLS: the packet thread {@link #offer}s copies into a bounded queue
 * (never blocking it) and the DTLS thread reads them, waiting during the handshake, without waiting afterwards
 * ({@link #readWithoutWaiting}); sends go straight to the {@link PacketSender}.
 */
final class QueueDatagramTransport implements DatagramTransport {
    /** Far above any WebRTC stack's DTLS MTU (~1200), with room for loopback peers that size records by the interface. */
    static final int MAX_DATAGRAM = 8192;
    /** Datagram size for our own flights: fits the IPv6 minimum MTU with room for UDP, IP and TURN headers. */
    static final int SEND_LIMIT = 1200;

    /** Thrown into Bouncy Castle's read when the session ends; rethrown by it untouched. */
    static final class SessionEnded extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        SessionEnded() {
            super("DTLS session ended");
        }
    }

    /**
     * Thrown into Bouncy Castle's read when no datagram is queued and the session reads without waiting (after the
     * handshake); rethrown by it untouched, like {@link SessionEnded}, with the record layer intact.
     */
    static final class WouldBlock extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        WouldBlock() {
            super("no DTLS datagram queued");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown once per drain: no stack to walk
        }
    }

    private static final byte[] WAKE = new byte[0];
    private static final WouldBlock WOULD_BLOCK = new WouldBlock();

    /**
     * Guards Bouncy Castle's record layer, which is not safe for a send racing a receive (a retransmitted final
     * flight briefly rewinds the write epoch). The session thread holds it while BC works and this transport
     * lets go of it while waiting for a datagram, so other threads' sends only wait for record processing.
     */
    final ReentrantLock ioLock = new ReentrantLock();
    private final ArrayBlockingQueue<byte[]> queue;
    private final PacketSender sender;
    private final LongAdder dropped = new LongAdder();
    /** Datagrams queued and not yet read: the queue's size without the WAKE markers that closing adds. */
    private final AtomicInteger unread = new AtomicInteger();
    private volatile boolean closeRequested; // by our owner: reads end
    private volatile boolean closed;         // by Bouncy Castle (close_notify sent or received, or failure)
    private volatile boolean muted;          // sends are dropped (a handshake abandoned by close())
    /** Once set (after the handshake), reads never wait and each queued datagram or close request calls it. */
    private volatile Runnable readable;

    QueueDatagramTransport(int capacity, PacketSender sender) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = sender;
    }

    /** Packet thread: queues a copy of the datagram, or counts it dropped if the queue is full or too big. */
    void offer(byte[] b, int off, int len) {
        if (closed || closeRequested) {
            return;
        }
        if (len <= 0 || len > MAX_DATAGRAM) {
            dropped.increment();
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        unread.incrementAndGet(); // before the offer: a read may take it at once
        if (!queue.offer(copy)) {
            unread.decrementAndGet();
            dropped.increment();
            return;
        }
        notifyReadable();
    }

    /** From now on reads do not wait ({@link WouldBlock} when nothing is queued); {@code r} runs when one would not. */
    void readWithoutWaiting(Runnable r) {
        readable = r;
        notifyReadable();
    }

    /** Something is queued (or the session must end): a read would not block. */
    boolean hasWork() {
        return !queue.isEmpty() || closeRequested || closed;
    }

    private void notifyReadable() {
        Runnable r = readable;
        if (r != null) {
            r.run();
        }
    }

    long dropped() {
        return dropped.sum();
    }

    int pending() {
        return unread.get();
    }

    /** Makes the reading thread end with {@link SessionEnded}; {@code mute} also silences any alert BC then sends. */
    void requestClose(boolean mute) {
        muted |= mute;
        closeRequested = true;
        queue.offer(WAKE);
        notifyReadable();
    }

    /** Lets sends through again (a handshake that finished despite close(): its close_notify must go out). */
    void unmute() {
        muted = false;
    }

    boolean isCloseRequested() {
        return closeRequested;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return MAX_DATAGRAM;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        checkOpen();
        byte[] datagram;
        if (readable != null) {
            datagram = queue.poll();
            if (datagram == null) {
                throw WOULD_BLOCK;
            }
        } else {
            datagram = waitFor(waitMillis);
        }
        if (datagram != null && datagram != WAKE) unread.decrementAndGet();
        if (datagram == WAKE) {
            checkOpen();
            return -1;
        }
        if (datagram == null || datagram.length > len) {
            return -1;
        }
        System.arraycopy(datagram, 0, buf, off, datagram.length);
        return datagram.length;
    }

    /** Blocking read (the handshake): lets go of the I/O lock while it waits so other threads' sends get through. */
    private byte[] waitFor(int waitMillis) throws IOException {
        boolean held = ioLock.isHeldByCurrentThread();
        if (held) {
            ioLock.unlock();
        }
        try {
            return waitMillis <= 0 ? queue.take() : queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        } finally {
            if (held) {
                ioLock.lock();
            }
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (muted || closed) {
            return;
        }
        try {
            sender.send(buf, off, len);
        } catch (RuntimeException e) {
            throw new IOException("packet sender failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.offer(WAKE);
    }

    private void checkOpen() throws SessionEnded {
        if (closeRequested || closed) {
            throw new SessionEnded();
        }
    }
}
