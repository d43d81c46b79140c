package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.rtcp.RtcpPacket;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@code sfu.udp_send: gso} a datagram leaves only at a flush. What the timers queue at the top of a loop turn
 * (here a receiver report; PLIs, NACKs, probes alike) comes after the previous turn's flush: unless the loop flushes
 * again before it waits in select(), the report waits there too, until a datagram or a task wakes the loop or the wait
 * times out. After the timers ran that wait is {@link Housekeeping#INTERVAL_NS}, so without the flush every report is
 * late by a whole wait; with it, it leaves at once. Real loopback sockets, no media coming in, time injected; each
 * round wakes the loop with an empty task (a wake-up left over from before a wait would hide one late report, rarely:
 * hence several rounds).
 */
class FlushBeforeSleepTest {
    /** Rounds whose report arrived within half the loop's longest wait; a round lost to a slow machine is retried. */
    private static final int FAST_ROUNDS = 3;
    private static final int MAX_ROUNDS = 30;
    private static final long FAST_NANOS = Housekeeping.INTERVAL_NS / 2;

    private static final int SSRC = 0x7001;

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));

    @ParameterizedTest(name = "gso {0}")
    @ValueSource(booleans = {true, false})
    void aTimersReceiverReportLeavesBeforeTheLoopWaits(boolean gso) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        DatagramChannel channel = DatagramChannel.open().bind(loopback);
        PacketThread thread = new PacketThread(0, channel, now::get, (id, reason, detail) -> {},
                RateControlConfig.defaults(), new IceTcpStats(), 4, gso);
        try (DatagramSocket client = new DatagramSocket(loopback)) {
            client.setSoTimeout(5_000); // the deadline of each report
            thread.start();
            SrtpSession clientSrtp = publisher(thread, client);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (thread.stats.rtpDecrypted() == 0) {
                assertThat(System.nanoTime() - deadline).as("the publisher's packet decrypted in time").isNegative();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            int fast = 0;
            int rounds = 0;
            while (fast < FAST_ROUNDS && rounds < MAX_ROUNDS) {
                rounds++;
                now.addAndGet(RtcpTermination.RECEIVER_REPORT_INTERVAL_NS);
                long from = System.nanoTime();
                thread.execute(() -> {}); // wakes the loop; the next turn's timers find the report due
                awaitReceiverReport(client, clientSrtp);
                if (System.nanoTime() - from < FAST_NANOS) fast++;
            }
            assertThat(fast).as("reports within %d ms of their turn, in %d rounds (gso %s)",
                    TimeUnit.NANOSECONDS.toMillis(FAST_NANOS), rounds, gso).isEqualTo(FAST_ROUNDS);
        } finally {
            thread.close();
            channel.close();
        }
    }

    /**
     * An endpoint that publishes audio, reached from {@code client} through the real path: an ICE check, then one RTP
     * packet (its stream is what the reports are about). ICE never times out here. @return the client's SRTP session
     */
    private SrtpSession publisher(PacketThread thread, DatagramSocket client) throws Exception {
        IceCredentials sfu = IceCredentials.random();
        IceLiteAgent ice = new IceLiteAgent(sfu, now::get, Duration.ofDays(1), Duration.ofDays(1));
        EndpointMedia ep = new EndpointMedia("pub", "conf", sfu.ufrag(), ice, 0x1234);
        byte[] key = new byte[PathRig.PROFILE.keyLength()];
        byte[] salt = new byte[PathRig.PROFILE.saltLength()];
        Arrays.fill(key, (byte) 7);
        Arrays.fill(salt, (byte) 9);
        SrtpKeys keys = new SrtpKeys(key, key.clone(), salt, salt.clone());
        ep.srtp = new SrtpSession(PathRig.PROFILE, keys, true);
        thread.execute(() -> {
            thread.path.endpoints.add(ep);
            thread.path.subscriptions.setUpstream(ep, List.of(PathRig.audio("pub", "0", 0x5001, SSRC)), 0,
                    thread.now());
        });
        SocketAddress to = thread.localAddress();
        byte[] b = new byte[256];
        int n = StunMessages.writeBindingRequest(b, 0, new byte[12], 0, sfu.ufrag() + ":cli", 0x6e7f00ffL, 42, true,
                StunMessages.integrityMac(sfu.pwd()));
        client.send(new DatagramPacket(b, n, to));
        SrtpSession srtp = new SrtpSession(PathRig.PROFILE, keys, false);
        byte[] rtp = new byte[12 + 20 + 64];
        rtp[0] = (byte) 0x80;
        RtpPacket.setPayloadType(rtp, 0, 111);
        RtpPacket.setSequence(rtp, 0, 1);
        RtpPacket.setSsrc(rtp, 0, SSRC);
        client.send(new DatagramPacket(rtp, srtp.protectRtp(rtp, 0, 12 + 20), to));
        return srtp;
    }

    /** Waits (each datagram: the socket's timeout) for the next receiver report; skips the ICE answer. */
    private static void awaitReceiverReport(DatagramSocket client, SrtpSession srtp) throws Exception {
        byte[] b = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(b, b.length);
            client.receive(p);
            if ((b[0] & 0xC0) != 0x80) continue; // STUN
            assertThat(srtp.unprotectRtcp(b, 0, p.getLength())).as("an SRTCP packet").isPositive();
            assertThat(b[1] & 0xFF).as("packet type").isEqualTo(RtcpPacket.PT_RR);
            return;
        }
    }
}
