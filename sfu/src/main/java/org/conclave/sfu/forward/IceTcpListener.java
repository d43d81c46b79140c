package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.config.IceTcpConfig;
import org.conclave.sfu.forward.IceTcpStats.CloseReason;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.transport.FrameReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ICE-TCP port (RFC 6544 passive candidates): accepts connections and holds each until its first RFC 4571 frame,
 * which must be a STUN binding request whose USERNAME names the ufrag of a live endpoint; the connection is then
 * handed, once, to that endpoint's packet thread, which checks MESSAGE-INTEGRITY and owns it from there. Connections
 * that name no endpoint, send a longer frame than a datagram, or send no complete frame within
 * {@code ice_tcp_bind_timeout_ms} are closed; at most {@code ice_tcp_max_pending} wait at once. Its own thread: no
 * packet thread ever waits for a connection that has not proven anything.
 */
final class IceTcpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IceTcpListener.class);
    /** Longest select() wait, so timeouts are checked even when nothing happens. */
    private static final long MAX_WAIT_MS = 1000;

    /** Which packet thread owns the endpoint with this SFU ufrag; null when none does. */
    interface Router {
        PacketThread threadFor(String ufrag);
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final NanoClock clock;
    private final IceTcpConfig config;
    private final IceTcpStats stats;
    private final Router router;
    private final long bindTimeoutNanos;
    /** In accept order, hence in deadline order. */
    private final ArrayDeque<TcpConnection> pending = new ArrayDeque<>();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private long serial;

    IceTcpListener(ServerSocketChannel server, NanoClock clock, IceTcpConfig config, IceTcpStats stats, Router router)
            throws IOException {
        this.server = server;
        this.clock = clock;
        this.config = config;
        this.stats = stats;
        this.router = router;
        this.bindTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.bindTimeoutMs());
        server.configureBlocking(false);
        this.selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::loop, "sfu-ice-tcp");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int pendingCount() {
        return pending.size();
    }

    private void loop() {
        try {
            while (running) {
                selector.select(this::selected, waitMillis());
                expire(clock.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            if (running) LOG.error("ICE-TCP listener stopped unexpectedly", e);
        } finally {
            for (TcpConnection c : List.copyOf(pending)) drop(c, CloseReason.SHUTDOWN);
            stopped.countDown();
        }
    }

    private long waitMillis() {
        TcpConnection first = pending.peekFirst();
        if (first == null) return MAX_WAIT_MS;
        long left = first.acceptedNanos + bindTimeoutNanos - clock.nanoTime();
        return Math.max(1, Math.min(MAX_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
    }

    private void selected(SelectionKey key) {
        if (key.attachment() instanceof TcpConnection c) {
            onReadable(c);
        } else if (key.isValid() && key.isAcceptable()) {
            acceptAll();
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return; // out of descriptors, or the peer left already: try again on the next readiness
            }
            if (ch == null) return;
            stats.countAccepted();
            if (pending.size() >= config.maxPending()) {
                closeQuietly(ch);
                stats.countClosed(CloseReason.PENDING_LIMIT);
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true); // media: no Nagle delay
                // No send-buffer autotuning (megabytes): a slow reader's media waits in the kernel no longer than in
                // our own buffer, then is dropped at ours, where it is counted.
                ch.setOption(StandardSocketOptions.SO_SNDBUF, config.writeBufferBytes());
                TcpConnection c = new TcpConnection(ch, (InetSocketAddress) ch.getRemoteAddress(), ++serial,
                        PacketPath.MAX_DATAGRAM, config.writeBufferBytes(), clock.nanoTime());
                c.selectionKey = ch.register(selector, SelectionKey.OP_READ, c);
                pending.addLast(c);
            } catch (IOException e) {
                closeQuietly(ch);
                stats.countClosed(CloseReason.PEER_CLOSED);
            }
        }
    }

    private void onReadable(TcpConnection c) {
        try {
            if (c.read() < 0) {
                drop(c, CloseReason.PEER_CLOSED);
                return;
            }
        } catch (IOException e) {
            drop(c, CloseReason.PEER_CLOSED);
            return;
        }
        int len = c.reader.peek();
        if (len == FrameReader.NEED_MORE) return;
        if (len == FrameReader.TOO_LONG) {
            drop(c, CloseReason.FRAMING);
            return;
        }
        String ufrag = bindingRequestUfrag(c.reader.array(), c.reader.peekOffset(), len);
        PacketThread owner = ufrag == null ? null : router.threadFor(ufrag);
        if (owner == null) {
            drop(c, CloseReason.UNKNOWN_UFRAG);
            return;
        }
        pending.remove(c);
        c.selectionKey.cancel(); // deregistered at this selector's next select; the packet thread registers anew
        c.selectionKey = null;
        c.ufrag = ufrag;
        owner.adoptTcp(c);
    }

    /** The recipient ufrag of a STUN binding request (unauthenticated yet), or null for anything else. */
    static String bindingRequestUfrag(byte[] b, int off, int len) {
        if (!StunMessages.looksLikeStun(b, off, len)) return null;
        int type = (b[off] & 0xFF) << 8 | b[off + 1] & 0xFF;
        return type == StunMessages.BINDING_REQUEST ? StunMessages.localUfrag(b, off, len) : null;
    }

    private void expire(long now) {
        TcpConnection first;
        while ((first = pending.peekFirst()) != null && now - first.acceptedNanos >= bindTimeoutNanos) {
            drop(first, CloseReason.BIND_TIMEOUT);
        }
    }

    private void drop(TcpConnection c, CloseReason reason) {
        pending.remove(c);
        c.close();
        stats.countClosed(reason);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            stopped.await(2, TimeUnit.SECONDS);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("closing selector", e);
        }
    }
}
