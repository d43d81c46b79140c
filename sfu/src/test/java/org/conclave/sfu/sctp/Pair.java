package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.SctpFormatException;
import org.conclave.sfu.sctp.chunk.SctpPacket;

/**
 * Two associations back to back through in-memory queues on a fake clock: "server" is the DTLS server (the SFU, odd
 * stream ids), "client" the DTLS client (a browser). Each direction can drop, duplicate or reorder packets.
 */
final class Pair {
    final FakeClock clock = new FakeClock();
    final Peer server;
    final Peer client;
    final Random random = new Random(42);

    Pair() {
        this(SctpSettings.defaults(true), SctpSettings.defaults(false));
    }

    Pair(SctpSettings serverSettings, SctpSettings clientSettings) {
        this(serverSettings, clientSettings, new java.security.SecureRandom().nextLong());
    }

    /** Tags and initial TSNs come from {@code seed}: the same seed gives the same association. */
    Pair(SctpSettings serverSettings, SctpSettings clientSettings, long seed) {
        this(serverSettings, clientSettings, new Random(seed), new Random(seed + 1));
    }

    Pair(SctpSettings serverSettings, SctpSettings clientSettings, Random serverTags, Random clientTags) {
        server = new Peer("server", serverSettings, serverTags);
        client = new Peer("client", clientSettings, clientTags);
        server.other = client;
        client.other = server;
    }

    record Received(DataChannel channel, byte[] data, boolean binary) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    record Sent(long at, SctpPacket packet) {
    }

    final class Peer implements AssociationListener {
        final String name;
        final SctpAssociation sctp;
        Peer other;
        final ArrayDeque<byte[]> wire = new ArrayDeque<>();
        final List<Sent> sent = new ArrayList<>();
        final List<DataChannel> opened = new ArrayList<>();
        final List<DataChannel> closed = new ArrayList<>();
        final List<Received> messages = new ArrayList<>();
        final List<String> downReasons = new ArrayList<>();
        int ups;
        Predicate<SctpPacket> drop = p -> false;
        /** Chunks removed from this peer's packets on the way (the rest of the packet still arrives). */
        Predicate<Chunk> strip = c -> false;
        double lossRate;
        double duplicateRate;
        boolean reorder;

        Peer(String name, SctpSettings settings, Random tags) {
            this.name = name;
            this.sctp = new SctpAssociation(settings, CookieSigner.random(), clock, this::transmit, this, tags);
        }

        private void transmit(byte[] b, int off, int len) {
            byte[] copy = Arrays.copyOfRange(b, off, off + len);
            SctpPacket p;
            try {
                p = SctpPacket.parse(copy, 0, copy.length);
            } catch (SctpFormatException e) {
                throw new AssertionError(name + " sent an unparseable packet: " + e.getMessage());
            }
            sent.add(new Sent(clock.nanoTime(), p));
            if (drop.test(p) || random.nextDouble() < lossRate) return;
            if (p.chunks().stream().anyMatch(strip)) {
                List<Chunk> kept = p.chunks().stream().filter(strip.negate()).toList();
                if (kept.isEmpty()) return;
                copy = new SctpPacket(p.sourcePort(), p.destinationPort(), p.verificationTag(), kept).encode();
            }
            wire.add(copy);
            if (random.nextDouble() < duplicateRate) wire.add(copy);
        }

        /** Hands the peer a packet with its own verification tag, as if the other side had sent it. */
        void inject(Chunk... chunks) {
            byte[] p = new SctpPacket(5000, 5000, sctp.localTag(), List.of(chunks)).encode();
            sctp.receive(p, 0, p.length, clock.nanoTime());
        }

        /** Hands the peer a packet with any verification tag. */
        void receiveRaw(int vtag, Chunk... chunks) {
            byte[] p = new SctpPacket(5000, 5000, vtag, List.of(chunks)).encode();
            sctp.receive(p, 0, p.length, clock.nanoTime());
        }

        /** Chunks of one type this peer has sent, in order. */
        <T extends Chunk> List<T> sentChunks(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (Sent s : sent) for (Chunk c : s.packet().chunks()) if (type.isInstance(c)) out.add(type.cast(c));
            return out;
        }

        List<String> texts() {
            return messages.stream().map(Received::text).toList();
        }

        @Override
        public void onChannelOpen(DataChannel channel) {
            opened.add(channel);
        }

        @Override
        public void onMessage(DataChannel channel, byte[] data, boolean binary) {
            messages.add(new Received(channel, data, binary));
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
            closed.add(channel);
        }

        @Override
        public void onAssociationUp() {
            ups++;
        }

        @Override
        public void onAssociationDown(String reason) {
            downReasons.add(reason);
        }
    }

    /** Delivers queued packets both ways until the wires are empty; timers do not run. */
    void deliver() {
        for (int guard = 0; guard < 1_000_000; guard++) {
            boolean any = deliverOne(server) | deliverOne(client);
            if (!any) return;
        }
        throw new AssertionError("packets keep flowing without time passing");
    }

    private boolean deliverOne(Peer from) {
        if (from.wire.isEmpty()) return false;
        byte[] p;
        if (from.reorder && from.wire.size() > 1 && random.nextBoolean()) {
            List<byte[]> list = new ArrayList<>(from.wire);
            p = list.remove(random.nextInt(list.size()));
            from.wire.clear();
            from.wire.addAll(list);
        } else {
            p = from.wire.poll();
        }
        from.other.sctp.receive(p, 0, p.length, clock.nanoTime());
        return true;
    }

    /**
     * Delivers packets and runs timers, moving the clock to each deadline, until {@code done} holds; false if
     * {@code maxMillis} of fake time pass first.
     */
    boolean runUntil(BooleanSupplier done, long maxMillis) {
        long end = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (true) {
            deliver();
            if (done.getAsBoolean()) return true;
            long next = Math.min(server.sctp.nextTimeout(), client.sctp.nextTimeout());
            if (next > end) {
                clock.advanceNanos(end - clock.nanoTime());
                return done.getAsBoolean();
            }
            if (next > clock.nanoTime()) clock.advanceNanos(next - clock.nanoTime());
            server.sctp.onTimer(clock.nanoTime());
            client.sctp.onTimer(clock.nanoTime());
        }
    }

    /** Runs timers and traffic for {@code millis} of fake time. */
    void runFor(long millis) {
        runUntil(() -> false, millis);
    }

    /** The browser connects (as Chrome does) and the SFU answers; both end ESTABLISHED. */
    Pair established() {
        client.sctp.connect();
        if (!runUntil(() -> bothEstablished(), 5_000)) throw new AssertionError("handshake failed");
        return this;
    }

    boolean bothEstablished() {
        return server.sctp.state() == SctpAssociation.State.ESTABLISHED
                && client.sctp.state() == SctpAssociation.State.ESTABLISHED;
    }

    /** A channel opened by the server and acknowledged by the client: {server side, client side}. */
    DataChannel[] serverChannel(String label, ChannelOptions options) {
        DataChannel s = server.sctp.open(label, options);
        deliver();
        DataChannel c = client.sctp.channel(s.id());
        if (c == null || s.state() != DataChannel.State.OPEN) throw new AssertionError("channel did not open");
        return new DataChannel[] {s, c};
    }

    /** Opens a channel and sends one text message each way over it. */
    void exchangeOneMessageEachWay() {
        DataChannel[] ch = serverChannel("ping", ChannelOptions.reliable());
        ch[0].send("ping");
        ch[1].send("pong");
        deliver();
        assertThat(client.texts()).containsExactly("ping");
        assertThat(server.texts()).containsExactly("pong");
    }

    /** Whether the packet carries a DATA chunk whose text starts with {@code textPrefix}. */
    static boolean carries(SctpPacket p, String textPrefix) {
        for (Chunk c : p.chunks()) if (c instanceof DataChunk d && text(d).startsWith(textPrefix)) return true;
        return false;
    }

    static String text(DataChunk d) {
        return new String(d.payload(), StandardCharsets.UTF_8);
    }
}
