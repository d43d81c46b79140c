package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.config.RateControlConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packet thread's UDP sends through its direct buffer, over real loopback sockets. */
class DatagramOutTest {
    private final WorkerStats stats = new WorkerStats();
    private final byte[] tx = new byte[PacketThread.BUFFER_SIZE];
    private DatagramChannel channel;
    private DatagramSocket receiver;
    private InetSocketAddress to;
    private DatagramOut out;

    @BeforeEach
    void open() throws Exception {
        channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false); // as the packet thread's
        receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        receiver.setSoTimeout(5_000);
        to = (InetSocketAddress) receiver.getLocalSocketAddress();
        out = new DatagramOut(channel, stats, PacketThread.BUFFER_SIZE);
    }

    @AfterEach
    void close() throws Exception {
        channel.close();
        receiver.close();
    }

    /** Longer, shorter, full-size, one byte: a limit or position left over from the previous send would show. */
    @Test
    void eachDatagramIsExactlyTheTransmitBuffersFirstLenBytes() throws Exception {
        int[] lengths = {1200, 100, PacketThread.BUFFER_SIZE, 1, 1100, 1099, 60};
        byte[] in = new byte[PacketThread.BUFFER_SIZE + 1];
        long bytes = 0;
        for (int k = 0; k < lengths.length; k++) {
            int len = lengths[k];
            for (int i = 0; i < tx.length; i++) tx[i] = (byte) (i * 31 + k * 7 + 1); // differs per send
            byte[] expected = Arrays.copyOf(tx, len);
            out.send(tx, len, to);
            DatagramPacket p = new DatagramPacket(in, in.length);
            receiver.receive(p);
            assertThat(p.getLength()).as("length of send %d", k).isEqualTo(len);
            assertThat(Arrays.copyOfRange(in, 0, p.getLength())).as("send %d of %d bytes", k, len)
                    .isEqualTo(expected);
            bytes += len;
        }
        assertThat(stats.datagramsSent).isEqualTo(lengths.length);
        assertThat(stats.bytesSent).isEqualTo(bytes);
        assertThat(stats.sendDrops).isZero();
        assertThat(stats.sendErrors).isZero();
    }

    /** The packet thread's own send (no ICE-TCP connection for that address) goes out through it. */
    @Test
    void thePacketThreadSendsItsTransmitBufferAsADatagram() throws Exception {
        PacketThread thread = new PacketThread(0, channel, new FakeClock(), (id, reason, detail) -> {},
                RateControlConfig.defaults());
        try {
            byte[] b = thread.tx();
            for (int i = 0; i < 300; i++) b[i] = (byte) (255 - i);
            thread.send(300, to);
            thread.send(17, to);
            byte[] in = new byte[PacketThread.BUFFER_SIZE];
            for (int len : new int[] {300, 17}) {
                DatagramPacket p = new DatagramPacket(in, in.length);
                receiver.receive(p);
                assertThat(Arrays.copyOf(in, p.getLength())).isEqualTo(Arrays.copyOf(b, len));
            }
            assertThat(thread.stats.datagramsSent).isEqualTo(2);
            assertThat(thread.stats.bytesSent).isEqualTo(317);
        } finally {
            thread.start(); // its loop sees it closed at once: close() need not wait for a thread that never ran
            thread.close();
        }
    }

    @Test
    void sendsAllocateNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int sends = 100_000;
        for (int i = 0; i < 20_000; i++) out.send(tx, 1100 - (i & 7), to); // warm up (the receiver drops what overflows)
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < sends; i++) out.send(tx, 1100 - (i & 7), to);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(stats.datagramsSent + stats.sendDrops).isEqualTo(20_000 + sends);
        assertThat(allocated).as("bytes allocated by %d sends", sends).isLessThan(sends); // under a byte per send
    }

    /**
     * The JDK sends the direct buffer as it is: a thread's first send takes no temporary direct buffer (with a heap
     * buffer, {@code sun.nio.ch.Util.getTemporaryDirectBuffer} allocates one into the thread's cache on its first send).
     */
    @Test
    void theJdkTakesNoTemporaryDirectBuffer() throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        AtomicLong added = new AtomicLong(Long.MAX_VALUE); // stays if the thread never got there
        Thread fresh = new Thread(() -> {
            long before = direct.getCount();
            out.send(tx, 1100, to);
            out.send(tx, 200, to);
            added.set(direct.getCount() - before);
        });
        fresh.start();
        fresh.join(10_000);
        assertThat(stats.datagramsSent).isEqualTo(2);
        assertThat(added.get()).as("direct buffers allocated by a new thread's sends").isLessThanOrEqualTo(0L); // a buffer freed meanwhile: -1
    }
}
