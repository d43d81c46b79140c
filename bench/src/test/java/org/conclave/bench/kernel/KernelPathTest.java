package org.conclave.bench.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The kernel-path benchmark sends what its patterns say, and its senders deliver the bytes intact. */
class KernelPathTest {

    @Test
    void fanoutQueuesEachIncomingPacketToEveryReceiverThenFlushesOnce() {
        Recording s = new Recording();
        int sent = Pattern.parse("fanout:3:2").turn(s, new byte[2048], 100, 0);
        assertThat(sent).isEqualTo(6);
        assertThat(s.log).containsExactly("0", "1", "2", "0", "1", "2", "flush");
    }

    @Test
    void burstQueuesAFrameToOneReceiverInTurn() {
        Recording s = new Recording();
        Pattern p = Pattern.parse("burst:3:4");
        assertThat(p.turn(s, new byte[2048], 100, 5)).isEqualTo(4);
        assertThat(s.log).containsExactly("2", "2", "2", "2", "flush");
    }

    @Test
    void badPatternsAreRefused() {
        for (String bad : List.of("fanout:0:1", "burst:2:0", "burst:2:65", "spray:2:2", "fanout:2")) {
            assertThatThrownBy(() -> Pattern.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sendersDeliverTheBurstIntactAndReuseTheirSlots() throws Exception {
        assertThat(Epoll.isAvailable()).as("Netty epoll: %s", Epoll.unavailabilityCause()).isTrue();
        assertThat(NettySender.gsoSupported()).as("UDP GSO (Linux 4.18+)").isTrue();
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            receiver.setSoTimeout(2000);
            Sinks sinks = Sinks.of((InetSocketAddress) receiver.getLocalSocketAddress());
            Pattern burst = Pattern.parse("burst:1:5");
            // the distinct paths: the JDK's sendto and write, Netty's sendmmsg with reused slots, GSO
            List<Sender> senders = List.of(new NioSender(NioSender.Mode.HEAP, sinks),
                    new NioSender(NioSender.Mode.CONNECTED, sinks), new NettySender(NettySender.Mode.MMSG, sinks, 5),
                    new NettySender(NettySender.Mode.GSO, sinks, 0));
            for (Sender s : senders) {
                byte[] tx = new byte[2048];
                for (int i = 0; i < tx.length; i++) tx[i] = (byte) (i * 7);
                for (int turn = 0; turn < 2; turn++) { // the second turn reuses the first one's slots
                    long t = turn;
                    s.onSendThread(() -> burst.turn(s, tx, 1100, t));
                    for (int i = 0; i < 5; i++) {
                        DatagramPacket d = new DatagramPacket(new byte[2048], 2048);
                        receiver.receive(d);
                        assertThat(d.getLength()).as(s.name()).isEqualTo(1100);
                        assertThat(d.getData()[1099]).as(s.name() + " datagram " + i).isEqualTo((byte) i);
                        assertThat(d.getData()[500]).as(s.name()).isEqualTo(tx[500]);
                    }
                }
                assertThat(s.dropped()).as(s.name()).isZero();
                s.close();
            }
        }
    }

    /** Records what a pattern asks of a sender. */
    private static final class Recording implements Sender {
        final List<String> log = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void queue(byte[] tx, int len, int r) {
            log.add(Integer.toString(r));
        }

        @Override
        public void flush() {
            log.add("flush");
        }

        @Override
        public <T> T onSendThread(Callable<T> task) throws Exception {
            return task.call();
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
