package org.conclave.bench.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The receivers: K loopback UDP sockets, each on its own port as each participant has its own address, drained by
 * one thread so that the kernel delivers (and wakes a reader) as it would for a local peer. Or, {@link #remote}, K
 * ports of an address whose datagrams the kernel drops at the device's queue (kernel-path.sh: a veth whose peer is
 * down): the send path alone, as far as a network card.
 */
final class Sinks implements AutoCloseable {
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final InetSocketAddress[] addresses;
    private final Selector selector;
    private final Thread drain;
    private final boolean local;
    private volatile boolean running = true;

    private Sinks(InetSocketAddress[] remote) {
        addresses = remote;
        selector = null;
        drain = null;
        local = false;
    }

    static Sinks remote(InetAddress address, int count) {
        InetSocketAddress[] a = new InetSocketAddress[count];
        for (int i = 0; i < count; i++) a[i] = new InetSocketAddress(address, 40_000 + i);
        return new Sinks(a);
    }

    /** Receivers that someone else reads (a test). */
    static Sinks of(InetSocketAddress... addresses) {
        return new Sinks(addresses.clone());
    }

    Sinks(int count) throws IOException {
        local = true;
        addresses = new InetSocketAddress[count];
        selector = Selector.open();
        for (int i = 0; i < count; i++) {
            DatagramChannel c = DatagramChannel.open();
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
            channels.add(c);
            addresses[i] = (InetSocketAddress) c.getLocalAddress();
        }
        drain = new Thread(this::drain, "kernel-path-sinks");
        drain.setDaemon(true);
        drain.start();
    }

    InetSocketAddress address(int r) {
        return addresses[r];
    }

    int count() {
        return addresses.length;
    }

    /** Where the senders bind: loopback for loopback sinks, the wildcard address for remote ones. */
    InetAddress bindAddress() throws IOException {
        return local ? InetAddress.getLoopbackAddress() : InetAddress.getByName("0.0.0.0");
    }

    /**
     * Datagrams the kernel dropped at these sockets so far (a full receive buffer: the drain thread fell behind), the
     * last column of /proc/net/udp and udp6; -1 for remote sinks.
     */
    long kernelDrops() throws IOException {
        if (!local) return -1;
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (InetSocketAddress a : addresses) ports.add(a.getPort());
        long drops = 0;
        for (String file : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(file))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 13 || !f[1].contains(":")) continue;
                String local = f[1];
                int port;
                try {
                    port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                } catch (NumberFormatException e) {
                    continue; // the header line
                }
                if (ports.contains(port)) drops += Long.parseLong(f[f.length - 1]);
            }
        }
        return drops;
    }

    private void drain() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        try {
            while (running) {
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel c = (DatagramChannel) k.channel();
                    while (true) {
                        buf.clear();
                        if (c.receive(buf) == null) break;
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (running) throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        if (!local) return;
        running = false;
        selector.wakeup();
        drain.join(2000);
        selector.close();
        for (DatagramChannel c : channels) c.close();
    }
}
