package org.conclave.sfu.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.sctp.ChannelOptions;
import org.conclave.sfu.sctp.CookieSigner;
import org.conclave.sfu.sctp.DataChannel;
import org.conclave.sfu.sctp.SctpAssociation;
import org.conclave.sfu.sctp.SctpSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two transports back to back on one SCTP thread: the SFU side answering pings, a client side sending them. */
class DataChannelTransportTest {
    private static final long DEADLINE_MS = 10_000;

    /** Cancelled timers leave its queue, so a test can see that no timer is pending any more. */
    private final ScheduledThreadPoolExecutor sctpThread = new ScheduledThreadPoolExecutor(1);

    {
        sctpThread.setRemoveOnCancelPolicy(true);
    }
    private final DataChannelStats stats = new DataChannelStats();
    private final Map<String, String> pongs = new ConcurrentHashMap<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private int mtu = SctpSettings.DEFAULT_MTU;

    @AfterEach
    void stop() {
        sctpThread.shutdownNow();
    }

    @Test
    void pingsOfAllSizesComeBackOnReliableAndUnreliableChannels() throws Exception {
        DataChannelTransport[] pair = connectedPair();
        DataChannelTransport client = pair[1];
        DataChannel reliable = client.open("reliable", ChannelOptions.reliable()).get(5, TimeUnit.SECONDS);
        DataChannel lossy = client.open("lossy", ChannelOptions.reliable().unordered().withMaxRetransmits(0))
                .get(5, TimeUnit.SECONDS);
        Map<String, String> sent = new ConcurrentHashMap<>();
        for (DataChannel ch : List.of(reliable, lossy)) {
            for (int size : new int[] {100, 10_000, 100_000}) {
                String id = ch.label() + "-" + size;
                String ping = "{\"type\":\"m.call.ping\",\"content\":{\"id\":\"" + id + "\",\"pad\":\"" + "x".repeat(size)
                        + "\"}}";
                sent.put(id, ping);
                client.send(ch, ping);
            }
        }
        await(() -> pongs.size() == sent.size());
        sent.forEach((id, ping) -> assertThat(pongs.get(id))
                .isEqualTo(ping.replace("m.call.ping", "m.call.pong")));
        assertThat(stats.textMessages()).isEqualTo(2L * sent.size()); // pings on one side, pongs on the other
        assertThat(stats.sendFailures()).isZero();
    }

    @Test
    void anMtuThatIsNotAMultipleOfFourStillCarriesFragmentedMessages() throws Exception {
        mtu = 1163; // Chromium's DTLS record limit as the SFU met it
        DataChannelTransport client = connectedPair()[1];
        DataChannel ch = client.open("odd", ChannelOptions.reliable()).get(5, TimeUnit.SECONDS);
        String ping = "{\"type\":\"m.call.ping\",\"content\":{\"id\":\"odd\",\"pad\":\"" + "y".repeat(10_000) + "\"}}";
        client.send(ch, ping);
        await(() -> pongs.containsKey("odd"));
        assertThat(pongs.get("odd")).isEqualTo(ping.replace("m.call.ping", "m.call.pong"));
        assertThat(stats.listenerErrors()).isZero();
    }

    @Test
    void aFullBacklogDropsAndCountsInsteadOfGrowing() throws Exception {
        DataChannelTransport t = transport("sfu", true, (b, off, len) -> { }, new DataChannelListener() { });
        CountDownLatch blocked = new CountDownLatch(1);
        sctpThread.execute(() -> {
            try {
                blocked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        byte[] garbage = new byte[1000];
        int offered = 3 * DataChannelTransport.MAX_BACKLOG_PACKETS;
        for (int i = 0; i < offered; i++) {
            garbage[0] = (byte) i;
            t.receive(garbage, 0, garbage.length);
        }
        assertThat(t.backlogPackets()).isEqualTo(DataChannelTransport.MAX_BACKLOG_PACKETS);
        assertThat(stats.packetsDropped()).isEqualTo(offered - DataChannelTransport.MAX_BACKLOG_PACKETS);
        blocked.countDown();
        await(() -> t.backlogPackets() == 0 && stats.malformedPackets() == DataChannelTransport.MAX_BACKLOG_PACKETS);
        assertThat(stats.packetsReceived()).isEqualTo(offered);
        assertThat(stats.backlogHighWater()).isEqualTo(DataChannelTransport.MAX_BACKLOG_PACKETS);
    }

    @Test
    void oversizedRecordsAreDropped() {
        DataChannelTransport t = transport("sfu", true, (b, off, len) -> { }, new DataChannelListener() { });
        t.receive(new byte[DataChannelTransport.MAX_PACKET_BYTES + 1], 0, DataChannelTransport.MAX_PACKET_BYTES + 1);
        assertThat(stats.packetsDropped()).isEqualTo(1);
        assertThat(t.backlogPackets()).isZero();
    }

    @Test
    void theInitTimerIsArmedAndRetransmits() throws Exception {
        AtomicInteger inits = new AtomicInteger();
        DataChannelTransport t = transport("sfu", true, (b, off, len) -> inits.incrementAndGet(),
                new DataChannelListener() { });
        t.start(true);
        await(() -> inits.get() >= 2); // the first INIT, then T1 fires (500 ms) and sends it again
        t.close();
        await(() -> closed.contains("sfu"));
        int after = inits.get();
        // Closed, the transport disarms its timer: with nothing queued on the SCTP thread, no INIT can follow.
        await(() -> sctpThread.getQueue().isEmpty() && sctpThread.getActiveCount() == 0);
        assertThat(inits.get()).isEqualTo(after);
    }

    @Test
    void closingTellsTheListenerOnceAndIgnoresLaterPackets() throws Exception {
        DataChannelTransport[] pair = connectedPair();
        pair[0].close();
        pair[0].close();
        await(() -> closed.contains("sfu") && closed.contains("client")); // the ABORT reached the client
        long received = stats.packetsReceived();
        pair[0].receive(new byte[100], 0, 100);
        assertThat(stats.packetsReceived()).isEqualTo(received);
        assertThat(closed.stream().filter("sfu"::equals)).hasSize(1);
    }

    /** [sfu, client], established; the SFU side answers each ping with a pong, the client records pongs. */
    private DataChannelTransport[] connectedPair() throws Exception {
        DataChannelTransport[] pair = new DataChannelTransport[2];
        pair[0] = transport("sfu", true, (b, off, len) -> pair[1].receive(b, off, len), new DataChannelListener() {
            @Override
            public void onTextMessage(String endpointId, DataChannel channel, String text) {
                pair[0].send(channel, text.replace("m.call.ping", "m.call.pong"));
            }
        });
        pair[1] = transport("client", false, (b, off, len) -> pair[0].receive(b, off, len), new DataChannelListener() {
            @Override
            public void onTextMessage(String endpointId, DataChannel channel, String text) {
                int at = text.indexOf("\"id\":\"") + 6;
                pongs.put(text.substring(at, text.indexOf('"', at)), text);
            }
        });
        pair[0].start(true); // both send INIT, as WebRTC peers do
        pair[1].start(true);
        await(() -> pair[0].established().join() && pair[1].established().join());
        return pair;
    }

    private DataChannelTransport transport(String id, boolean dtlsServer, SctpAssociation.PacketOut out,
            DataChannelListener listener) {
        DataChannelListener recording = new DataChannelListener() {
            @Override
            public void onTextMessage(String endpointId, DataChannel channel, String text) {
                listener.onTextMessage(endpointId, channel, text);
            }

            @Override
            public void onClosed(String endpointId) {
                closed.add(endpointId);
            }
        };
        return new DataChannelTransport(id, SctpSettings.defaults(dtlsServer).withMtu(mtu), CookieSigner.random(), NanoClock.SYSTEM,
                sctpThread, out, recording, stats);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + DEADLINE_MS + " ms");
            Thread.sleep(10);
        }
    }
}
