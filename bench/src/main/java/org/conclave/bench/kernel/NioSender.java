package org.conclave.bench.kernel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * java.nio: one system call per datagram. {@link Mode#HEAP} is what the packet thread does today
 * ({@code channel.send(ByteBuffer.wrap(tx), to)}: the JDK copies the heap bytes into a temporary direct buffer);
 * {@link Mode#DIRECT} copies into a direct buffer itself; {@link Mode#CONNECTED} sends through one socket per receiver,
 * connected to it and bound to the same local port with SO_REUSEPORT (what "several sockets per thread" would be for
 * an SFU whose clients all know one port): {@code write} instead of {@code sendto}, the kernel keeps the route.
 */
final class NioSender implements Sender {
    enum Mode { HEAP, DIRECT, CONNECTED }

    private final Mode mode;
    private final Sinks sinks;
    private final DatagramChannel channel;
    private final DatagramChannel[] connected;
    private final ByteBuffer direct = ByteBuffer.allocateDirect(2048);
    private ByteBuffer heap;
    private byte[] heapArray;
    private final ExecutorService thread;
    private long dropped;

    NioSender(Mode mode, Sinks sinks) throws IOException {
        this.mode = mode;
        this.sinks = sinks;
        InetSocketAddress any = new InetSocketAddress(sinks.bindAddress(), 0);
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.bind(any);
        channel.configureBlocking(false);
        connected = new DatagramChannel[mode == Mode.CONNECTED ? sinks.count() : 0];
        for (int r = 0; r < connected.length; r++) {
            connected[r] = DatagramChannel.open();
            connected[r].setOption(StandardSocketOptions.SO_REUSEPORT, true);
            connected[r].bind(channel.getLocalAddress());
            connected[r].connect(sinks.address(r));
            connected[r].configureBlocking(false);
        }
        thread = Executors.newSingleThreadExecutor(t -> new Thread(t, "kernel-path-" + name()));
    }

    @Override
    public String name() {
        return switch (mode) {
            case HEAP -> "nio-heap";
            case DIRECT -> "nio-direct";
            case CONNECTED -> "nio-connected";
        };
    }

    @Override
    public void queue(byte[] tx, int len, int r) {
        try {
            int sent;
            switch (mode) {
                case HEAP -> {
                    if (heapArray != tx) { // the packet thread wraps its one transmit buffer once
                        heapArray = tx;
                        heap = ByteBuffer.wrap(tx);
                    }
                    heap.clear().limit(len);
                    sent = channel.send(heap, sinks.address(r));
                }
                case DIRECT -> {
                    direct.clear();
                    direct.put(tx, 0, len).flip();
                    sent = channel.send(direct, sinks.address(r));
                }
                default -> {
                    direct.clear();
                    direct.put(tx, 0, len).flip();
                    sent = connected[r].write(direct);
                }
            }
            if (sent == 0) dropped++;
        } catch (IOException e) {
            dropped++;
        }
    }

    @Override
    public void flush() {
        // every datagram went out in queue()
    }

    @Override
    public <T> T onSendThread(Callable<T> task) throws Exception {
        return thread.submit(task).get();
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() throws IOException {
        thread.shutdown();
        for (DatagramChannel c : connected) c.close();
        channel.close();
    }
}
