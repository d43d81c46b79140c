package org.conclave.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.conclave.bench.client.BenchTransport;
import org.conclave.sfu.rtp.RtpPacket;

/**
 * A receive thread shared by many transports: one selector, one buffer. Per datagram it decrypts, reads the probe and
 * counts; it allocates nothing and takes no lock.
 */
public final class RxLoop implements BenchTransport.Sink, AutoCloseable {
    static final int BUFFER_SIZE = 2048;
    /** Datagrams read from one socket before the loop moves on, so one busy socket cannot starve the others. */
    static final int READS_PER_TURN = 64;
    static final long SELECT_TIMEOUT_MS = 5;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<BenchTransport> joining = new ConcurrentLinkedQueue<>();
    private final byte[] buf = new byte[BUFFER_SIZE];
    private final ByteBuffer bb = ByteBuffer.wrap(buf);
    private final Tally tally;
    private final Generator.SpanSource spans;
    private final Consumer<SelectionKey> onReady = this::onReady;
    final Handover handover = new Handover();
    /** Where the next handover goes; written before {@link Handover#request}, read after it. */
    Measured handoverInto;
    private volatile boolean running = true;

    RxLoop(int index, int tracks, Generator.SpanSource spans) throws IOException {
        this.tally = new Tally(tracks);
        this.spans = spans;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "bench-rx-" + index);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reading {@code t}'s socket (after {@link BenchTransport#aim}). Any thread. */
    void add(BenchTransport t) {
        joining.add(t);
        selector.wakeup();
    }

    private void loop() {
        while (running) {
            try {
                selector.select(onReady, SELECT_TIMEOUT_MS);
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                if (!running) return;
            }
            BenchTransport t;
            while ((t = joining.poll()) != null) {
                try {
                    t.channel().register(selector, SelectionKey.OP_READ, t);
                } catch (ClosedChannelException e) {
                    // closed before it started
                }
            }
            if (handover.pending()) {
                tally.takeInto(handoverInto);
                handover.complete();
            }
        }
    }

    private void onReady(SelectionKey key) {
        BenchTransport t = (BenchTransport) key.attachment();
        for (int i = 0; i < READS_PER_TURN; i++) {
            bb.clear();
            int n;
            try {
                n = t.channel().read(bb);
            } catch (IOException e) {
                // ICMP port unreachable (a server that went away), or the socket closed
                if (!t.channel().isOpen()) key.cancel();
                return;
            }
            if (n <= 0) return;
            t.onDatagram(buf, n, System.nanoTime(), this);
        }
    }

    @Override
    public void onRtp(BenchTransport from, byte[] b, int len, int datagramBytes, long nowNanos) {
        if (RtpPacket.validate(b, 0, len) < 0) {
            tally.foreign++;
            return;
        }
        int off = RtpPacket.payloadOffset(b, 0);
        int plen = RtpPacket.payloadLength(b, 0, len);
        int probe = FramePayload.findProbe(b, off, plen);
        int track = probe < 0 ? -1 : ProbePayload.track(b, probe, off + plen - probe);
        if (track < 0 || track >= tally.received.length) {
            tally.foreign++;
            return;
        }
        tally.onProbe(track, from.wants(track), ProbePayload.sentNanos(b, probe), nowNanos, datagramBytes, spans.span());
    }

    @Override
    public void onRtcp(BenchTransport from) {
        tally.rtcp++;
    }

    @Override
    public void onSrtpFailure(BenchTransport from, int code) {
        tally.srtpFailures++;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(1000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
