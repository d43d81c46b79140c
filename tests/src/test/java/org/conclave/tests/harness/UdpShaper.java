package org.conclave.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.clock.NanoClock;

/**
 * A UDP relay for one client leg, client &lt;-&gt; shaper &lt;-&gt; SFU, shaping each direction with a {@link ShapedLink}
 * ({@link #up()}: client to SFU, {@link #down()}: SFU to client). Clients send to {@link #address()}; each client
 * source address gets its own socket towards the SFU (like a NAT), so the SFU sees one peer-reflexive address per
 * client candidate and its replies find their way back. One thread, non-blocking sockets; {@link #close} stops it.
 */
public final class UdpShaper implements AutoCloseable {
    private static final int MAX_DATAGRAM = 2048;
    /** Longest the loop sleeps when nothing is due, so close() is noticed promptly even without traffic. */
    private static final long IDLE_SELECT_MS = 50;

    private record Pending(long deliverAt, long order, DatagramChannel from, SocketAddress to, byte[] data) {}

    private final InetSocketAddress sfu;
    private final NanoClock clock;
    private final ShapedLink up;
    private final ShapedLink down;
    private final Selector selector;
    private final DatagramChannel clientSide;
    private final Map<SocketAddress, DatagramChannel> towardsSfu = new HashMap<>();
    private final PriorityQueue<Pending> pending =
            new PriorityQueue<>(Comparator.comparingLong(Pending::deliverAt).thenComparingLong(Pending::order));
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
    private final Thread thread;
    private long order;
    private volatile boolean closed;
    private volatile java.util.concurrent.CountDownLatch rebind;
    private final java.util.List<DatagramChannel> previous = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Throwable failure;

    /** Relays to the SFU at {@code sfu}; {@code seed} makes the random loss of both directions repeatable. */
    public UdpShaper(InetSocketAddress sfu, long seed) throws IOException {
        this(sfu, seed, NanoClock.SYSTEM);
    }

    UdpShaper(InetSocketAddress sfu, long seed, NanoClock clock) throws IOException {
        this.sfu = sfu;
        this.clock = clock;
        this.up = new ShapedLink(seed);
        this.down = new ShapedLink(seed * 31 + 7);
        this.selector = Selector.open();
        this.clientSide = DatagramChannel.open();
        clientSide.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        clientSide.configureBlocking(false);
        clientSide.register(selector, SelectionKey.OP_READ, null);
        this.thread = new Thread(this::loop, "udp-shaper-" + address().getPort());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A NAT rebinding: from now on the client's packets reach the SFU from a new source port (the client sees nothing
     * change). Returns once the relay has switched: the next packet upstream takes the new port.
     */
    public void rebind() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        rebind = done;
        selector.wakeup();
        if (!done.await(5, TimeUnit.SECONDS)) throw new IllegalStateException("the relay did not rebind");
    }

    /** Sends {@code datagram} to the SFU from the port a {@link #rebind} left (late or forged packets from there). */
    public void sendFromPreviousPort(byte[] datagram) throws IOException {
        if (previous.isEmpty()) throw new IllegalStateException("no rebind yet");
        previous.get(0).send(ByteBuffer.wrap(datagram), sfu);
    }

    /** Where clients send: the address to put in the SFU's candidates for them. */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) clientSide.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Client to SFU. */
    public ShapedLink up() {
        return up;
    }

    /** SFU to client. */
    public ShapedLink down() {
        return down;
    }

    /** What stopped the relay thread, or null while it runs (or after a clean close). */
    public Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "shaper " + address() + " up[" + up + "] down[" + down + "]";
    }

    private void loop() {
        try {
            while (!closed) {
                long now = clock.nanoTime();
                Pending next = pending.peek();
                long waitMs = next == null ? IDLE_SELECT_MS
                        : Math.min(IDLE_SELECT_MS, TimeUnit.NANOSECONDS.toMillis(next.deliverAt() - now));
                if (waitMs <= 0) selector.selectNow();
                else selector.select(waitMs);
                java.util.concurrent.CountDownLatch rebound = rebind;
                if (rebound != null) {
                    rebind = null;
                    previous.addAll(towardsSfu.values());
                    towardsSfu.clear(); // the old sockets stay open: what the SFU sends there still reaches the client
                    rebound.countDown();
                }
                for (SelectionKey key : selector.selectedKeys()) readAll(key);
                selector.selectedKeys().clear();
                deliverDue();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) failure = e;
        }
    }

    private void readAll(SelectionKey key) throws IOException {
        DatagramChannel channel = (DatagramChannel) key.channel();
        SocketAddress client = (SocketAddress) key.attachment();
        while (true) {
            buffer.clear();
            SocketAddress source = channel.receive(buffer);
            if (source == null) return;
            buffer.flip();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            if (client == null) {
                enqueue(up, mapping(source), sfu, data);
            } else if (source.equals(sfu)) {
                enqueue(down, clientSide, client, data);
            }
        }
    }

    private DatagramChannel mapping(SocketAddress client) throws IOException {
        DatagramChannel c = towardsSfu.get(client);
        if (c != null) return c;
        c = DatagramChannel.open();
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, client);
        towardsSfu.put(client, c);
        return c;
    }

    private void enqueue(ShapedLink link, DatagramChannel from, SocketAddress to, byte[] data) {
        long at = link.admit(clock.nanoTime(), data.length);
        if (ShapedLink.delivered(at)) pending.add(new Pending(at, order++, from, to, data));
    }

    private void deliverDue() throws IOException {
        long now = clock.nanoTime();
        while (!pending.isEmpty() && pending.peek().deliverAt() - now <= 0) {
            Pending p = pending.poll();
            p.from().send(ByteBuffer.wrap(p.data()), p.to());
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
            clientSide.close();
            for (DatagramChannel c : towardsSfu.values()) c.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
