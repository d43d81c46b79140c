package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.config.IceTcpConfig;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.forward.IceTcpStats.CloseReason;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.ice.StunMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP through a real {@link MediaWorker} on loopback sockets, with an injected clock: a connection is bound to the
 * endpoint its first authenticated check names and answered over RFC 4571 framing; everything else is closed and
 * counted; a client that stops reading loses its own packets (counted) and the packet thread goes on.
 */
class IceTcpLinksTest {
    private static final long POLL_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final NanoClock clock = now::get;
    private final IceCredentials sfu = IceCredentials.random();
    private MediaWorker worker;
    private InetSocketAddress tcpAddress;

    private void start(IceTcpConfig config) throws IOException {
        DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServerSocketChannel tcp = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        tcpAddress = (InetSocketAddress) tcp.getLocalAddress();
        worker = new MediaWorker(List.of(udp), tcp, config, clock, new MediaWorker.Listener() {
            @Override
            public void onIceFailed(String endpointId, FailureReason reason, String detail) {}
        }, RateControlConfig.defaults(), 100);
        worker.start();
        IceLiteAgent ice = new IceLiteAgent(sfu, clock, Duration.ofSeconds(10), Duration.ofSeconds(30));
        EndpointMedia ep = new EndpointMedia("ep-1", "conf", sfu.ufrag(), ice, 0x1234);
        ep.limitHandshakePackets(100_000);
        worker.addEndpoint(ep);
    }

    @AfterEach
    void stop() {
        if (worker != null) worker.close();
    }

    @Test
    void aValidCheckBindsTheConnectionAndIsAnsweredInAFrame() throws Exception {
        start(IceTcpConfig.defaults());
        try (SocketChannel c = connect()) {
            c.write(frame(check(sfu.ufrag(), sfu.pwd())));
            byte[] answer = readFrame(c);
            assertThat((answer[0] & 0xFF) << 8 | answer[1] & 0xFF).isEqualTo(StunMessages.BINDING_SUCCESS);
            c.write(frame(check(sfu.ufrag(), sfu.pwd()))); // consent checks go on on the same connection
            assertThat(readFrame(c)).hasSize(answer.length);
            assertThat(worker.tcpStats().accepted()).isEqualTo(1);
            assertThat(closedTotal()).isZero();
        }
    }

    @Test
    void anUnknownUfragAWrongPasswordOrAnOversizedFrameClosesTheConnection() throws Exception {
        start(IceTcpConfig.defaults());
        try (SocketChannel c = connect()) {
            c.write(frame(check("nobody00", sfu.pwd())));
            assertClosedByServer(c);
        }
        awaitCount(() -> worker.tcpStats().closed(CloseReason.UNKNOWN_UFRAG), 1);
        try (SocketChannel c = connect()) {
            c.write(frame(check(sfu.ufrag(), "a-wrong-password-of-24ch")));
            assertClosedByServer(c);
        }
        awaitCount(() -> worker.tcpStats().closed(CloseReason.REJECTED), 1);
        try (SocketChannel c = connect()) {
            c.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 1}));
            assertClosedByServer(c);
        }
        awaitCount(() -> worker.tcpStats().closed(CloseReason.FRAMING), 1);
        try (SocketChannel c = connect()) {
            c.write(frame(new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})); // RTP before any check
            assertClosedByServer(c);
        }
        awaitCount(() -> worker.tcpStats().closed(CloseReason.UNKNOWN_UFRAG), 2);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheBindTimeout() throws Exception {
        start(IceTcpConfig.defaults());
        try (SocketChannel c = connect()) {
            awaitCount(() -> worker.tcpStats().accepted(), 1);
            assertThat(worker.tcpStats().closed(CloseReason.BIND_TIMEOUT)).isZero();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(IceTcpConfig.DEFAULT_BIND_TIMEOUT_MS));
            assertClosedByServer(c);
            awaitCount(() -> worker.tcpStats().closed(CloseReason.BIND_TIMEOUT), 1);
        }
    }

    @Test
    void pendingAndPerEndpointConnectionsAreCapped() throws Exception {
        start(new IceTcpConfig(true, 0, 65536, 1, 1, 5000));
        try (SocketChannel silent = connect()) {
            awaitCount(() -> worker.tcpStats().accepted(), 1);
            try (SocketChannel second = connect()) {
                assertClosedByServer(second);
            }
            awaitCount(() -> worker.tcpStats().closed(CloseReason.PENDING_LIMIT), 1);
            silent.close();
            awaitCount(() -> worker.tcpStats().closed(CloseReason.PEER_CLOSED), 1);
        }
        try (SocketChannel first = connect()) {
            first.write(frame(check(sfu.ufrag(), sfu.pwd())));
            assertThat(readFrame(first)).isNotEmpty();
            try (SocketChannel extra = connect()) {
                extra.write(frame(check(sfu.ufrag(), sfu.pwd())));
                assertClosedByServer(extra);
            }
            awaitCount(() -> worker.tcpStats().closed(CloseReason.ENDPOINT_LIMIT), 1);
        }
    }

    @Test
    void aClientThatStopsReadingLosesItsOwnPacketsAndNobodyWaits() throws Exception {
        start(new IceTcpConfig(true, 0, 4096, 10, 4, 5000));
        try (SocketChannel c = SocketChannel.open()) {
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            c.connect(tcpAddress);
            c.write(frame(check(sfu.ufrag(), sfu.pwd())));
            readFrame(c);
            // Checks keep coming, answers are never read: the connection's buffers fill and answers are dropped.
            ByteBuffer checks = ByteBuffer.wrap(frame(check(sfu.ufrag(), sfu.pwd())).array());
            long deadline = System.nanoTime() + POLL_DEADLINE_NANOS;
            while (worker.stats().tcpWriteBufferDrops() == 0 && System.nanoTime() < deadline) {
                checks.rewind();
                c.write(checks);
            }
            assertThat(worker.stats().tcpWriteBufferDrops()).isPositive();
            // The packet thread still runs its tasks at once.
            CompletableFuture<MediaSample> sampled = new CompletableFuture<>();
            worker.sample(sampled::complete);
            assertThat(sampled.get(5, TimeUnit.SECONDS).endpoints()).hasSize(1);
            assertThat(closedTotal()).isZero();
        }
    }

    @Test
    void removingTheEndpointClosesItsConnections() throws Exception {
        start(IceTcpConfig.defaults());
        try (SocketChannel c = connect()) {
            c.write(frame(check(sfu.ufrag(), sfu.pwd())));
            readFrame(c);
            worker.removeEndpoint("ep-1");
            assertClosedByServer(c);
            awaitCount(() -> worker.tcpStats().closed(CloseReason.ENDPOINT_GONE), 1);
        }
    }

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open(tcpAddress);
        c.socket().setSoTimeout(10_000);
        return c;
    }

    private long closedTotal() {
        long n = 0;
        for (CloseReason r : CloseReason.values()) n += worker.tcpStats().closed(r);
        return n;
    }

    private static byte[] check(String sfuUfrag, String pwd) {
        byte[] b = new byte[256];
        int n = StunMessages.writeBindingRequest(b, 0, new byte[12], 0, sfuUfrag + ":cli", 0x6e7f00ffL, 42, true,
                StunMessages.integrityMac(pwd));
        return java.util.Arrays.copyOf(b, n);
    }

    private static ByteBuffer frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(2 + payload.length);
        b.putShort((short) payload.length).put(payload).flip();
        return b;
    }

    /** One RFC 4571 frame, read with a deadline (the channel is blocking with a socket timeout). */
    private static byte[] readFrame(SocketChannel c) throws IOException {
        java.io.InputStream in = c.socket().getInputStream();
        int hi = in.read();
        int lo = in.read();
        assertThat(lo).as("a frame header").isNotNegative();
        byte[] payload = in.readNBytes(hi << 8 | lo);
        assertThat(payload).hasSize(hi << 8 | lo);
        return payload;
    }

    /** The server closed the connection: reading ends (a reset counts too). */
    private static void assertClosedByServer(SocketChannel c) throws IOException {
        java.io.InputStream in = c.socket().getInputStream();
        int r;
        try {
            while ((r = in.read()) >= 0) {
                // skip whatever came before the close
            }
        } catch (java.net.SocketException reset) {
            r = -1;
        }
        assertThat(r).isEqualTo(-1);
    }

    private static void awaitCount(LongSupplier counter, long atLeast) {
        long deadline = System.nanoTime() + POLL_DEADLINE_NANOS;
        while (counter.getAsLong() < atLeast && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(counter.getAsLong()).isGreaterThanOrEqualTo(atLeast);
    }
}
