package org.conclave.bench.limit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.rtp.RtpPacket;

/**
 * The machine's limit: a forwarder that does only what no SFU can avoid per packet: receive the datagram, find its
 * sender, decrypt once, and per receiver copy, encrypt and send. No header rewriting, no statistics, no RTCP, no
 * key-frame logic. Same socket layout as our SFU (one UDP port, one packet thread), same SRTP classes.
 */
final class LimitForwarder implements AutoCloseable {
    static final int BUFFER_SIZE = 2048;
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    static final int READS_PER_WAKEUP = 256;

    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final byte[] rx = new byte[BUFFER_SIZE];
    private final ByteBuffer rxBuffer = ByteBuffer.wrap(rx);
    private final byte[] tx = new byte[BUFFER_SIZE];
    private final ByteBuffer txBuffer = ByteBuffer.wrap(tx);
    private final Map<String, LimitEndpoint> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, LimitEndpoint> byAddress = new HashMap<>();
    private final SsrcRoutes routes = new SsrcRoutes();
    private volatile boolean running = true;
    volatile long received;
    volatile long sent;
    volatile long dropped;

    LimitForwarder(InetSocketAddress bind) throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        channel.bind(bind);
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        thread = new Thread(this::loop, "limit-packets");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Runs {@code task} on the packet thread, between packets. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void addEndpoint(LimitEndpoint ep, String ufrag) {
        execute(() -> byUfrag.put(ufrag, ep));
    }

    void subscribe(int ssrc, LimitEndpoint receiver) {
        execute(() -> routes.add(ssrc, receiver));
    }

    /** For the DTLS thread. */
    void sendFromOtherThread(byte[] b, int off, int len, InetSocketAddress to) {
        if (to == null) return;
        try {
            channel.send(ByteBuffer.wrap(b, off, len), to);
        } catch (IOException e) {
            dropped++;
        }
    }

    private void loop() {
        try {
            while (running) {
                selector.select(50);
                selector.selectedKeys().clear();
                Runnable task;
                while ((task = tasks.poll()) != null) task.run();
                for (int i = 0; i < READS_PER_WAKEUP; i++) {
                    rxBuffer.clear();
                    SocketAddress from = channel.receive(rxBuffer);
                    if (from == null) break;
                    onDatagram((InetSocketAddress) from, rxBuffer.position());
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void onDatagram(InetSocketAddress from, int len) {
        int first = rx[0] & 0xFF;
        if (first >= 128 && first <= 191) {
            LimitEndpoint ep = byAddress.get(from);
            if (ep == null || ep.srtp == null || RtpPacket.isRtcp(rx, 0, len)) return;
            int n = ep.srtp.unprotectRtp(rx, 0, len);
            if (n < 0) {
                dropped++;
                return;
            }
            received++;
            for (LimitEndpoint r : routes.get(RtpPacket.ssrc(rx, 0))) {
                InetSocketAddress to = r.address;
                if (r.srtp == null || to == null) continue;
                System.arraycopy(rx, 0, tx, 0, n);
                int m = r.srtp.protectRtp(tx, 0, n);
                if (m < 0) continue;
                txBuffer.clear().limit(m);
                try {
                    if (channel.send(txBuffer, to) > 0) sent++;
                    else dropped++;
                } catch (IOException e) {
                    dropped++;
                }
            }
        } else if (first >= 20 && first <= 63) {
            LimitEndpoint ep = byAddress.get(from);
            if (ep != null && ep.dtls != null) ep.dtls.receive(rx, 0, len);
        } else if (first <= 3) {
            String ufrag = StunMessages.localUfrag(rx, 0, len);
            LimitEndpoint ep = ufrag == null ? null : byUfrag.get(ufrag);
            if (ep == null) return;
            int n = ep.ice.handleBindingRequest(rx, 0, len, from, tx, 0);
            if (n <= 0) return;
            txBuffer.clear().limit(n);
            try {
                channel.send(txBuffer, from);
            } catch (IOException e) {
                dropped++;
            }
            if (ep.ice.isValidated(from) && ep.address == null) {
                ep.address = from;
                byAddress.put(from, ep);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            selector.close();
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
