package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.config.IceTcpConfig;
import org.conclave.sfu.config.RateControlConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One packet thread: its UDP socket and the media state of the endpoints placed on it ({@link PacketPath}), nothing
 * shared with another packet thread. The loop waits for datagrams, hands each to the path, and runs control tasks and
 * timers between them.
 */
final class PacketThread implements PacketIo, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketThread.class);
    /** Room for a full-size datagram plus the SRTP/SRTCP overhead added in place. */
    static final int BUFFER_SIZE = 2048;
    /** Datagrams read per wake-up before tasks and timers get their turn again. */
    static final int RECEIVE_BATCH = 256;

    final int index;
    private final RateControlConfig rates;
    private final DatagramChannel channel;
    private final Selector selector;
    private final NanoClock clock;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    /** Set while the loop waits in select(): another thread that piped something here must wake it. */
    private volatile boolean sleeping;
    private final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();

    private final byte[] rx = new byte[BUFFER_SIZE];
    private final ByteBuffer rxBuffer = ByteBuffer.wrap(rx);
    /** The one transmit buffer SRTP writes into; a UDP send copies it into {@link #udp}'s direct buffer. */
    private final byte[] tx = new byte[BUFFER_SIZE];

    final WorkerStats stats = new WorkerStats();
    /** Where UDP datagrams go: sent at once ({@link DatagramOut}), or queued and flushed per turn ({@link GsoOut}). */
    private final UdpOut udp;
    private final boolean batched;
    final PacketPath path;
    /** Its endpoints' ICE-TCP connections: this thread owns them once the listener handed them over. */
    final TcpLinks tcp;

    PacketThread(int index, DatagramChannel channel, NanoClock clock, MediaWorker.Listener listener,
            RateControlConfig rates) throws IOException {
        this(index, channel, clock, listener, rates, new IceTcpStats(), IceTcpConfig.DEFAULT_MAX_PER_ENDPOINT, false);
    }

    /** @param gso batch UDP sends per loop turn and join each receiver's equal-length runs with UDP GSO */
    PacketThread(int index, DatagramChannel channel, NanoClock clock, MediaWorker.Listener listener,
            RateControlConfig rates, IceTcpStats tcpStats, int maxTcpPerEndpoint, boolean gso) throws IOException {
        this.index = index;
        this.rates = rates;
        this.channel = channel;
        this.clock = clock;
        this.batched = gso;
        this.udp = gso ? new GsoOut(channel, stats) : new DatagramOut(channel, stats, BUFFER_SIZE);
        this.path = new PacketPath(this, stats, listener, rates, new Pipes(this, stats), clock.nanoTime());
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.tcp = new TcpLinks(selector, path, stats, tcpStats, maxTcpPerEndpoint, rx);
        this.thread = new Thread(this::loop, "sfu-packets-" + index);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on this thread, between packets. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Wakes the loop if it waits in select() (at most once per wait). */
    void wakeIfSleeping() {
        if (sleeping && woken.compareAndSet(false, true)) selector.wakeup();
    }

    RateControlConfig rates() {
        return rates;
    }

    long now() {
        return clock.nanoTime();
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    // ---------------------------------------------------------------- PacketIo

    @Override
    public byte[] tx() {
        return tx;
    }

    @Override
    public void send(int len, InetSocketAddress to) {
        sendOnThread(tx, len, to);
    }

    /** On the packet thread: over the ICE-TCP connection keyed {@code to}, or else as a UDP datagram. */
    private void sendOnThread(byte[] b, int len, InetSocketAddress to) {
        if (tcp.send(b, len, to)) return;
        udp.send(b, len, to);
    }

    /** Sends a datagram from another thread (DTLS records: handshakes, data channels); never blocks. */
    void sendFromOtherThread(byte[] b, int off, int len, InetSocketAddress to) {
        if (to == null) return;
        if (batched || TcpConnection.isKey(to)) {
            // An ICE-TCP connection, and with GSO the socket's segment size, are this thread's alone: the record
            // goes through its task queue, as a copy (a send from here could be split by the segment size).
            byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
            execute(() -> sendOnThread(copy, copy.length, to));
            return;
        }
        try {
            // Not the packet thread's direct buffer: that is its alone. Handshakes and data channels, not media.
            channel.send(ByteBuffer.wrap(b, off, len), to);
        } catch (IOException e) {
            stats.offThreadSendErrors.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- the loop

    private void loop() {
        try {
            while (running) {
                runTasks();
                long now = clock.nanoTime();
                path.pipes.drain(path, now);
                path.housekeeping.run(now);
                path.pipes.wakeConsumers();
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(path.housekeeping.nextDue() - now));
                udp.flush(); // never sleep on queued datagrams
                long idleFrom = System.nanoTime();
                woken.set(false);
                sleeping = true;
                if (path.pipes.inboundEmpty() && tasks.isEmpty()) {
                    selector.select(tcp.onSelected, waitMs);
                } else {
                    selector.selectNow(tcp.onSelected);
                }
                sleeping = false;
                stats.idleNanos += System.nanoTime() - idleFrom;
                // Tasks queued before these datagrams arrived (say, a new endpoint's ufrag) must apply to them.
                runTasks();
                tcp.handleReady(clock.nanoTime());
                receiveAll();
                path.pipes.drain(path, clock.nanoTime());
                udp.flush(); // the turn's batch: up to RECEIVE_BATCH datagrams in and what they sent out
                path.pipes.wakeConsumers();
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (Throwable t) {
            LOG.error("packet thread {} stopped unexpectedly", index, t);
        } finally {
            tcp.closeAll();
            stopped.countDown();
        }
    }

    /** The listener hands over a connection whose first frame names an endpoint of this thread (once). */
    void adoptTcp(TcpConnection c) {
        execute(() -> tcp.adopt(c, clock.nanoTime()));
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("control task failed on packet thread {}", index, e);
            }
        }
    }

    private void receiveAll() throws IOException {
        for (int i = 0; i < RECEIVE_BATCH; i++) {
            rxBuffer.clear();
            SocketAddress from = channel.receive(rxBuffer);
            if (from == null) return;
            int len = rxBuffer.position();
            stats.datagramsReceived++;
            stats.bytesReceived += len;
            try {
                path.onDatagram((InetSocketAddress) from, rx, len, clock.nanoTime());
            } catch (RuntimeException e) {
                // Defensive: a parser bug must never kill the packet thread.
                stats.internalErrors++;
                if (stats.internalErrors < 20) LOG.warn("packet handling failed", e);
            }
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
