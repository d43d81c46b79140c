package org.conclave.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real loopback sockets: the relay forwards both ways, maps each client separately, shapes, and closes. */
class UdpShaperTest {

    @Test
    void relaysBothWaysAndKeepsClientsApart() throws Exception {
        try (DatagramSocket sfu = socket(); DatagramSocket a = socket(); DatagramSocket b = socket();
                UdpShaper shaper = new UdpShaper((InetSocketAddress) sfu.getLocalSocketAddress(), 1)) {
            send(a, shaper.address(), "from-a");
            send(b, shaper.address(), "from-b");
            DatagramPacket first = receive(sfu);
            DatagramPacket second = receive(sfu);
            assertThat(first.getSocketAddress()).isNotEqualTo(second.getSocketAddress());
            // The SFU answers each mapped address; each reply reaches only its own client, from the shaper's address.
            for (DatagramPacket p : List.of(first, second)) {
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                send(sfu, (InetSocketAddress) p.getSocketAddress(), "re:" + text);
            }
            DatagramPacket ra = receive(a);
            DatagramPacket rb = receive(b);
            assertThat(text(ra)).isEqualTo("re:from-a");
            assertThat(text(rb)).isEqualTo("re:from-b");
            assertThat(ra.getSocketAddress()).isEqualTo(shaper.address());
            assertThat(shaper.up().forwarded()).isEqualTo(2);
            assertThat(shaper.down().forwarded()).isEqualTo(2);
            assertThat(shaper.failure()).isNull();
        }
    }

    @Test
    void fullLossDownstreamDropsRepliesButNotRequests() throws Exception {
        try (DatagramSocket sfu = socket(); DatagramSocket a = socket();
                UdpShaper shaper = new UdpShaper((InetSocketAddress) sfu.getLocalSocketAddress(), 1)) {
            shaper.down().lossPercent(100);
            send(a, shaper.address(), "ping");
            DatagramPacket p = receive(sfu);
            send(sfu, (InetSocketAddress) p.getSocketAddress(), "pong");
            a.setSoTimeout(300);
            List<String> got = new ArrayList<>();
            try {
                got.add(text(receive(a)));
            } catch (SocketTimeoutException expected) {
                // nothing came, as it should
            }
            assertThat(got).isEmpty();
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (shaper.down().lost() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
            assertThat(shaper.down().lost()).isEqualTo(1);
        }
    }

    @Test
    void bottleneckDelaysABurst() throws Exception {
        try (DatagramSocket sfu = socket(); DatagramSocket a = socket();
                UdpShaper shaper = new UdpShaper((InetSocketAddress) sfu.getLocalSocketAddress(), 1)) {
            shaper.up().rateBps(400_000).queueLimitMs(1000); // 1000 bytes take 20 ms
            long start = System.nanoTime();
            byte[] kb = new byte[1000];
            for (int i = 0; i < 10; i++) a.send(new DatagramPacket(kb, kb.length, shaper.address()));
            for (int i = 0; i < 10; i++) receive(sfu);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("10 x 1000 B through 400 kbit/s").isBetween(190L, 1500L);
        }
    }

    private static DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(3000);
        return s;
    }

    private static void send(DatagramSocket from, InetSocketAddress to, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(b, b.length, to));
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return p;
    }

    private static String text(DatagramPacket p) {
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
