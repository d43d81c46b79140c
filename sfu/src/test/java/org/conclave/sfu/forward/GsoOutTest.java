package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.config.RateControlConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batched sends with UDP GSO, over real loopback sockets: what each receiver gets, datagram by datagram. */
class GsoOutTest {
    private final WorkerStats stats = new WorkerStats();
    private final byte[] tx = new byte[PacketThread.BUFFER_SIZE];
    private DatagramChannel channel;
    private DatagramSocket a;
    private DatagramSocket b;
    private InetSocketAddress toA;
    private InetSocketAddress toB;
    private GsoOut out;
    private int sent;

    @BeforeEach
    void open() throws Exception {
        channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false); // as the packet thread's
        a = receiver();
        b = receiver();
        toA = (InetSocketAddress) a.getLocalSocketAddress();
        toB = (InetSocketAddress) b.getLocalSocketAddress();
        out = new GsoOut(channel, stats);
    }

    private static DatagramSocket receiver() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(5_000);
        s.setReceiveBufferSize(1 << 20);
        return s;
    }

    @AfterEach
    void close() throws Exception {
        channel.close();
        a.close();
        b.close();
    }

    /** Queues a datagram of {@code len} bytes whose content is its number; returns a copy of what was queued. */
    private byte[] queue(int len, InetSocketAddress to) {
        int n = sent++;
        for (int i = 0; i < len; i++) tx[i] = (byte) (n * 31 + i);
        out.send(tx, len, to);
        byte[] copy = Arrays.copyOf(tx, len);
        Arrays.fill(tx, (byte) 0); // the transmit buffer is free again once send returns
        return copy;
    }

    private static List<byte[]> receive(DatagramSocket s, int count) throws Exception {
        List<byte[]> got = new ArrayList<>();
        byte[] in = new byte[70_000];
        for (int k = 0; k < count; k++) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            s.receive(p);
            got.add(Arrays.copyOf(in, p.getLength()));
        }
        return got;
    }

    private static void assertNothingMore(DatagramSocket s) throws Exception {
        s.setSoTimeout(200);
        try {
            s.receive(new DatagramPacket(new byte[70_000], 70_000));
            throw new AssertionError("one datagram too many");
        } catch (SocketTimeoutException expected) {
            // nothing more
        }
    }

    @Test
    void eachReceiverGetsItsDatagramsInOrderAndARunIsOneSend() throws Exception {
        List<byte[]> forA = new ArrayList<>();
        List<byte[]> forB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            forA.add(queue(1100, toA));
            if (i % 2 == 0) forB.add(queue(1100, toB)); // another receiver in between
        }
        forA.add(queue(900, toA)); // the frame's last, shorter: still the same GSO send
        forA.add(queue(1100, toA)); // after a shorter one: a new send
        assertThat(out.queued()).isEqualTo(10);
        assertThat(stats.datagramsSent).as("nothing leaves before the flush").isZero();

        out.flush();

        assertThat(receive(a, forA.size())).containsExactlyElementsOf(forA);
        assertThat(receive(b, forB.size())).containsExactlyElementsOf(forB);
        assertNothingMore(a);
        assertThat(stats.datagramsSent).isEqualTo(10);
        assertThat(stats.sendRuns()).as("A: 6 joined + 1 lone; B: 3 joined").isEqualTo(3);
        assertThat(stats.joinedDatagrams()).isEqualTo(9);
        assertThat(out.queued()).isZero();
    }

    /** GSO splits at the first datagram's length: a longer one joined to the run would arrive cut in two. */
    @Test
    void aLengthChangeStartsANewRun() throws Exception {
        List<byte[]> expected = List.of(queue(1100, toA), queue(1100, toA), queue(1200, toA), queue(1200, toA));
        out.flush();
        assertThat(receive(a, 4)).containsExactlyElementsOf(expected);
        assertNothingMore(a);
        assertThat(stats.sendRuns()).isEqualTo(2);
    }

    /** A run leaves its segment size on the socket: a later lone, longer datagram must not be split by it. */
    @Test
    void aLoneDatagramIsSentWhole() throws Exception {
        List<byte[]> expected = new ArrayList<>(List.of(queue(500, toA), queue(500, toA)));
        out.flush();
        expected.add(queue(1100, toA));
        out.flush();
        assertThat(receive(a, 3)).containsExactlyElementsOf(expected);
        assertNothingMore(a);
        assertThat(stats.joinedRuns()).isEqualTo(1);
        assertThat(stats.sendRuns()).isEqualTo(2);
    }

    /**
     * An audio pair, then one frame's copies, for each of two receivers: the runs of one length leave together, so the
     * segment size changes twice (one receiver at a time: four times); each receiver gets its datagrams in order.
     */
    @Test
    void runsOfOneLengthLeaveTogetherAcrossReceivers() throws Exception {
        List<byte[]> forA = new ArrayList<>();
        List<byte[]> forB = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            forA.add(queue(120, toA));
            forB.add(queue(120, toB));
        }
        for (int i = 0; i < 3; i++) {
            forA.add(queue(1100, toA));
            forB.add(queue(1100, toB));
        }
        out.flush();
        assertThat(receive(a, forA.size())).containsExactlyElementsOf(forA);
        assertThat(receive(b, forB.size())).containsExactlyElementsOf(forB);
        assertNothingMore(a);
        assertNothingMore(b);
        assertThat(stats.sendRuns()).as("each: audio, video").isEqualTo(4);
        assertThat(stats.gsoSegmentSets()).as("120 for both audio pairs, then 1100 for both frames").isEqualTo(2);
    }

    @Test
    void aFullQueueIsSentBeforeTheNextDatagram() throws Exception {
        for (int i = 0; i < GsoOut.SLOTS; i++) queue(100 + (i & 1), toA); // alternate lengths: each its own send
        assertThat(stats.datagramsSent).isZero();
        queue(100, toA);
        assertThat(stats.datagramsSent).isEqualTo(GsoOut.SLOTS);
        assertThat(out.queued()).isEqualTo(1);
    }

    @Test
    void aFullArenaIsSentBeforeTheNextDatagram() throws Exception {
        int fit = GsoOut.ARENA_BYTES / 2000;
        for (int i = 0; i < fit; i++) out.send(tx, 2000, i % 2 == 0 ? toA : toB);
        assertThat(stats.datagramsSent).isZero();
        out.send(tx, 2000, toA);
        assertThat(stats.datagramsSent + stats.sendDrops).isEqualTo(fit);
        assertThat(out.queued()).isEqualTo(1);
    }

    @Test
    void sendsAllocateNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        InetSocketAddress[] to = {toA, toB};
        int datagrams = 100_000;
        for (int i = 0; i < 20_000; i++) turn(i, to); // warm up (the receivers drop what overflows)
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < datagrams; i++) turn(i, to);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(stats.datagramsSent + stats.sendDrops).isEqualTo(20_000 + datagrams);
        assertThat(stats.joinedDatagrams()).isPositive();
        assertThat(allocated).as("bytes allocated by %d datagrams", datagrams).isLessThan(datagrams);
    }

    /** A turn's traffic: frames of 5 packets (the last shorter) to alternating receivers, a flush every 20. */
    private void turn(int i, InetSocketAddress[] to) {
        out.send(tx, i % 5 == 4 ? 700 : 1100, to[(i / 5) & 1]);
        if (i % 20 == 19) out.flush();
    }

    /**
     * A datagram a task sends leaves although no packet comes (the end of the task's turn flushes it; what timers send
     * before the loop waits: {@link FlushBeforeSleepTest}).
     */
    @Test
    void aDatagramSentByATaskLeavesWithoutAnyPacketComing() throws Exception {
        channel.close();
        channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        PacketThread thread = new PacketThread(0, channel, new FakeClock(), (id, reason, detail) -> {},
                RateControlConfig.defaults(), new IceTcpStats(), 4, true);
        try {
            thread.start();
            byte[] b = thread.tx();
            thread.execute(() -> {
                for (int i = 0; i < 300; i++) b[i] = (byte) (255 - i);
                thread.send(300, toA);
                thread.send(300, toA);
            });
            List<byte[]> got = receive(a, 2);
            byte[] expected = new byte[300];
            for (int i = 0; i < 300; i++) expected[i] = (byte) (255 - i);
            assertThat(got).containsExactly(expected, expected);
            assertThat(thread.stats.joinedDatagrams()).isEqualTo(2);
        } finally {
            thread.close();
        }
    }
}
