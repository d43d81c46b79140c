package org.conclave.sfu.datachannel;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.sctp.AssociationListener;
import org.conclave.sfu.sctp.ChannelOptions;
import org.conclave.sfu.sctp.CookieSigner;
import org.conclave.sfu.sctp.DataChannel;
import org.conclave.sfu.sctp.SctpAssociation;
import org.conclave.sfu.sctp.SctpSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data channels of one endpoint: its {@link SctpAssociation}, driven on the shared SCTP executor. The DTLS thread
 * hands in records with {@link #receive} (copied into a bounded backlog); everything else happens on the executor,
 * where the association's one timer is kept armed at {@link SctpAssociation#nextTimeout()}.
 */
public final class DataChannelTransport {
    /** SCTP packets one endpoint may have waiting for the SCTP thread; more are dropped (SCTP retransmits). */
    public static final int MAX_BACKLOG_PACKETS = 256;
    /** Bytes one endpoint may have waiting for the SCTP thread. */
    public static final int MAX_BACKLOG_BYTES = 1 << 20;
    /** Largest SCTP packet taken from DTLS (a DTLS record carries at most 2^14 bytes). */
    static final int MAX_PACKET_BYTES = 1 << 14;
    private static final Logger LOG = LoggerFactory.getLogger(DataChannelTransport.class);

    private final String endpointId;
    private final SctpAssociation sctp;
    private final ScheduledExecutorService executor;
    private final NanoClock clock;
    private final DataChannelListener listener;
    private final DataChannelStats stats;
    private final ConcurrentLinkedQueue<byte[]> backlog = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlogPackets = new AtomicInteger();
    private final AtomicInteger backlogBytes = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;
    // SCTP thread only:
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;
    private long malformedSeen;
    private boolean closedReported;

    /**
     * @param out where SCTP packets go: the DTLS session's application data (called on the SCTP thread)
     */
    public DataChannelTransport(String endpointId, SctpSettings settings, CookieSigner cookies, NanoClock clock,
            ScheduledExecutorService executor, SctpAssociation.PacketOut out, DataChannelListener listener,
            DataChannelStats stats) {
        this.endpointId = endpointId;
        this.executor = executor;
        this.clock = clock;
        this.listener = listener;
        this.stats = stats;
        this.sctp = new SctpAssociation(settings, cookies, clock, out, new Events());
    }

    public String endpointId() {
        return endpointId;
    }

    /**
     * Starts the association on the SCTP thread; with {@code connect} it also sends INIT (WebRTC peers both do; a
     * crossing INIT from the client is fine).
     */
    public void start(boolean connect) {
        onSctpThread(() -> {
            if (connect && sctp.state() == SctpAssociation.State.CLOSED) sctp.connect();
        });
    }

    /**
     * DTLS thread: one application-data record (an SCTP packet). Copied; dropped and counted when the backlog is full,
     * so a flood cannot grow memory. Never blocks.
     */
    public void receive(byte[] b, int off, int len) {
        if (closed) return;
        stats.packetsReceived.increment();
        if (len > MAX_PACKET_BYTES || backlogPackets.get() >= MAX_BACKLOG_PACKETS
                || backlogBytes.get() + len > MAX_BACKLOG_BYTES) {
            stats.packetsDropped.increment();
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        backlogBytes.addAndGet(len);
        stats.backlog(backlogPackets.incrementAndGet());
        backlog.add(copy);
        if (drainScheduled.compareAndSet(false, true)) onSctpThread(this::drain);
    }

    /** Queues a text message on {@code channel}; callable from any thread. */
    public void send(DataChannel channel, String text) {
        onSctpThread(() -> {
            if (!channel.send(text)) stats.sendFailures.increment();
        });
    }

    /** Queues a text message on the channel with this stream id, if it is open; callable from any thread. */
    public void send(int channelId, String text) {
        onSctpThread(() -> {
            DataChannel ch = sctp.channel(channelId);
            if (ch == null || !ch.send(text)) stats.sendFailures.increment();
        });
    }

    /** Opens a channel of ours once the association is up (for clients built on this class, e.g. tests). */
    public CompletableFuture<DataChannel> open(String label, ChannelOptions options) {
        CompletableFuture<DataChannel> f = new CompletableFuture<>();
        onSctpThread(() -> {
            try {
                f.complete(sctp.open(label, options));
            } catch (IllegalStateException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Whether the association is ESTABLISHED, asked on the SCTP thread. */
    public CompletableFuture<Boolean> established() {
        return query(() -> sctp.state() == SctpAssociation.State.ESTABLISHED);
    }

    /** Packets waiting for the SCTP thread now. */
    public int backlogPackets() {
        return backlogPackets.get();
    }

    /** Ends the association (ABORT if the client is still reachable) and drops the backlog. Idempotent. */
    public void close() {
        close(() -> { });
    }

    /**
     * Closes the association on the SCTP thread, after whatever was queued to send before (a farewell such as
     * "disconnected"), then runs {@code afterwards} there (closing DTLS, which those packets still need).
     */
    public void close(Runnable afterwards) {
        if (closed) {
            afterwards.run();
            return;
        }
        closed = true;
        try {
            executor.execute(() -> run(() -> {
                sctp.abort("endpoint closed");
                reportClosed();
                afterwards.run();
            }));
        } catch (RejectedExecutionException e) {
            afterwards.run(); // the SFU is stopping: no SCTP thread to wait for
        }
    }

    // ---------------------------------------------------------------- SCTP thread

    private void drain() {
        drainScheduled.set(false);
        byte[] p;
        while ((p = backlog.poll()) != null) {
            backlogPackets.decrementAndGet();
            backlogBytes.addAndGet(-p.length);
            if (!closed) sctp.receive(p, 0, p.length, clock.nanoTime());
        }
        long malformed = sctp.malformedPackets();
        if (malformed != malformedSeen) {
            stats.malformedPackets.add(malformed - malformedSeen);
            malformedSeen = malformed;
        }
    }

    private void onTimer() {
        timer = null;
        timerAt = Long.MAX_VALUE;
        if (!closed) sctp.onTimer(clock.nanoTime());
    }

    /** Keeps exactly one timer task at the association's next deadline. */
    private void rearm() {
        long next = closed ? Long.MAX_VALUE : sctp.nextTimeout();
        if (next == timerAt) return;
        if (timer != null) timer.cancel(false);
        timer = null;
        timerAt = next;
        if (next == Long.MAX_VALUE) return;
        long delay = Math.max(0, next - clock.nanoTime());
        try {
            timer = executor.schedule(() -> run(this::onTimer), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            timerAt = Long.MAX_VALUE; // shutting down
        }
    }

    private void onSctpThread(Runnable work) {
        try {
            executor.execute(() -> run(work));
        } catch (RejectedExecutionException e) {
            LOG.debug("SCTP thread stopped; dropping work for endpoint {}", endpointId);
        }
    }

    /** Every piece of work ends by re-arming the timer: receive, send and timer all move the deadline. */
    private void run(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            stats.listenerErrors.increment();
            LOG.warn("data channel work for endpoint {} failed", endpointId, e);
        }
        rearm();
    }

    private <T> CompletableFuture<T> query(java.util.function.Supplier<T> q) {
        CompletableFuture<T> f = new CompletableFuture<>();
        onSctpThread(() -> f.complete(q.get()));
        return f;
    }

    private void reportClosed() {
        if (closedReported) return;
        closedReported = true;
        backlog.clear();
        backlogPackets.set(0);
        backlogBytes.set(0);
        safely(() -> listener.onClosed(endpointId));
    }

    private void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            stats.listenerErrors.increment();
            LOG.warn("data channel listener failed for endpoint {}", endpointId, e);
        }
    }

    /** The association's events, on the SCTP thread. */
    private final class Events implements AssociationListener {
        @Override
        public void onChannelOpen(DataChannel channel) {
            safely(() -> listener.onChannelOpen(endpointId, channel));
        }

        @Override
        public void onMessage(DataChannel channel, byte[] data, boolean binary) {
            if (binary) {
                stats.binaryMessages.increment();
                safely(() -> listener.onBinaryMessage(endpointId, channel, data.length));
                return;
            }
            stats.textMessages.increment();
            String text = new String(data, StandardCharsets.UTF_8);
            safely(() -> listener.onTextMessage(endpointId, channel, text));
        }

        @Override
        public void onChannelClosed(DataChannel channel) {
            safely(() -> listener.onChannelClosed(endpointId, channel));
        }

        @Override
        public void onAssociationDown(String reason) {
            LOG.debug("endpoint {}: data channels down ({})", endpointId, reason);
            reportClosed();
        }
    }
}
