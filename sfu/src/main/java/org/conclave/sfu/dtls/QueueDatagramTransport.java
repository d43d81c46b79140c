package org.conclave.sfu.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagram pipe under Bouncy Castle's DTLS: the packet thread {@link #offer}s copies into a bounded queue
 * (never blocking it) and the DTLS thread reads them; sends go straight to the {@link PacketSender}.
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

    private static final byte[] WAKE = new byte[0];

    /**
     * Guards Bouncy Castle's record layer, which is not safe for a send racing a receive (a retransmitted final
     * flight briefly rewinds the write epoch). The session thread holds it while BC works and this transport
     * lets go of it while waiting for a datagram, so other threads' sends only wait for record processing.
     */
    final ReentrantLock ioLock = new ReentrantLock();
    private final ArrayBlockingQueue<byte[]> queue;
    private final PacketSender sender;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closeRequested; // by our owner: reads end
    private volatile boolean closed;         // by Bouncy Castle (close_notify sent or received, or failure)
    private volatile boolean muted;          // sends are dropped (a handshake abandoned by close())

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
        if (!queue.offer(copy)) {
            dropped.increment();
        }
    }

    long dropped() {
        return dropped.sum();
    }

    int pending() {
        return queue.size();
    }

    /** Makes the reading thread end with {@link SessionEnded}; {@code mute} also silences any alert BC then sends. */
    void requestClose(boolean mute) {
        muted |= mute;
        closeRequested = true;
        queue.offer(WAKE);
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
        boolean held = ioLock.isHeldByCurrentThread();
        if (held) {
            ioLock.unlock();
        }
        try {
            datagram = waitMillis <= 0 ? queue.take() : queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        } finally {
            if (held) {
                ioLock.lock();
            }
        }
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
