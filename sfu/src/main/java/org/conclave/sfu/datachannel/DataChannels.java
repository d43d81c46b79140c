package org.conclave.sfu.datachannel;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.dtls.DtlsSession;
import org.conclave.sfu.sctp.CookieSigner;
import org.conclave.sfu.sctp.DataChannel;
import org.conclave.sfu.sctp.SctpSettings;
import org.conclave.sfu.sdp.SctpParameters;

/**
 * The SFU's data channels: makes one {@link DataChannelTransport} per endpoint on the shared SCTP executor and routes
 * the clients' text messages to the installed {@link ControlMessageHandler}. Thread-safe.
 */
public final class DataChannels {
    /** The largest message we accept; the SDP answer announces the same (a=max-message-size). */
    public static final int MAX_MESSAGE_BYTES = SctpSettings.DEFAULT_MAX_MESSAGE_SIZE;
    /**
     * Datagrams a DTLS session may hold for its thread. The DTLS default (64) was sized for handshakes; a client's
     * congestion window of SCTP (a 100 KB message is ~90 packets) overflowed it and lost fragments of unreliable
     * messages under load. Same bound as the SCTP backlog behind it.
     */
    public static final int DTLS_RECEIVE_QUEUE_PACKETS = DataChannelTransport.MAX_BACKLOG_PACKETS;

    private final NanoClock clock;
    private final ScheduledExecutorService executor;
    private final CookieSigner cookies = CookieSigner.random();
    private final DataChannelStats stats = new DataChannelStats();
    private final int messagesPerSecond;
    private volatile ControlMessageHandler handler;

    /**
     * @param executor the single SCTP thread; the caller owns (and shuts down) it
     * @param messagesPerSecond text messages one endpoint may send per second (a burst of twice that passes); the
     *     rest are dropped and counted ({@link DataChannelStats#rateLimited}) before they reach the handler
     */
    public DataChannels(NanoClock clock, ScheduledExecutorService executor, ControlMessageHandler handler,
            int messagesPerSecond) {
        if (messagesPerSecond < 1) throw new IllegalArgumentException("messagesPerSecond must be at least 1");
        this.clock = clock;
        this.executor = executor;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.messagesPerSecond = messagesPerSecond;
    }

    /** Replaces the control protocol; channels already open get the new one from their next message on. */
    public void setHandler(ControlMessageHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    public DataChannelStats stats() {
        return stats;
    }

    /** The data channel state of a new endpoint; its transport starts when SDP and DTLS are both there. */
    public EndpointDataChannels endpoint(String endpointId) {
        return new EndpointDataChannels(this, endpointId);
    }

    /**
     * Creates and starts the data channel transport of an endpoint whose DTLS just connected (call on its DTLS thread,
     * before it reads on, so the client's first INIT is not missed).
     *
     * @param sdp the negotiated data channel m-line
     */
    public DataChannelTransport open(String endpointId, SctpParameters sdp, DtlsSession dtls) {
        Dispatch dispatch = new Dispatch();
        DataChannelTransport t = new DataChannelTransport(endpointId, settings(sdp, dtls.maxApplicationDataSize()),
                cookies, clock, executor, (b, off, len) -> dtls.sendApplicationData(b, off, len), dispatch, stats);
        dispatch.transport = t;
        t.start(true);
        return t;
    }

    /** Our SCTP settings from the SDP: ports, message sizes, and packets that fit one DTLS record. */
    static SctpSettings settings(SctpParameters sdp, int dtlsRecordLimit) {
        int mtu = SctpSettings.DEFAULT_MTU;
        if (dtlsRecordLimit > 0) mtu = Math.max(SctpSettings.MIN_MTU, Math.min(mtu, dtlsRecordLimit));
        int receive = (int) Math.min(MAX_MESSAGE_BYTES, sdp.localMaxMessageSize() > 0 ? sdp.localMaxMessageSize()
                : MAX_MESSAGE_BYTES);
        // RFC 8841 §6: 0 means the peer takes messages of any size.
        long remote = sdp.remoteMaxMessageSize() <= 0 ? Integer.MAX_VALUE : sdp.remoteMaxMessageSize();
        return new SctpSettings(sdp.localPort(), sdp.remotePort(), mtu, receive, (int) Math.min(Integer.MAX_VALUE,
                remote), true);
    }

    /** Adapts transport events to the control handler; one per endpoint (it knows its transport). */
    private final class Dispatch implements DataChannelListener {
        private DataChannelTransport transport; // set before the transport starts
        private final MessageRate rate = new MessageRate(messagesPerSecond, clock.nanoTime());

        @Override
        public void onChannelOpen(String endpointId, DataChannel channel) {
            handler.onOpen(new ControlChannel(endpointId, channel, transport));
        }

        /** SCTP thread: a flood is cut here, before anything of it crosses to the control thread. */
        @Override
        public void onTextMessage(String endpointId, DataChannel channel, String text) {
            long now = clock.nanoTime();
            if (rate.take(now)) {
                handler.onText(new ControlChannel(endpointId, channel, transport), text);
                return;
            }
            stats.rateLimited.increment();
            if (rate.tell(now)) {
                handler.onRateLimited(new ControlChannel(endpointId, channel, transport), messagesPerSecond);
            }
        }

        @Override
        public void onClosed(String endpointId) {
            handler.onClosed(endpointId);
        }
    }
}
