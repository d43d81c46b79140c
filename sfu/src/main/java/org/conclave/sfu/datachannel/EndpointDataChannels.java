package org.conclave.sfu.datachannel;

import org.conclave.sfu.dtls.DtlsSession;
import org.conclave.sfu.sdp.SctpParameters;

/**
 * The data channel side of one endpoint as its signalling sees it: the transport starts once both an accepted data
 * channel m-line ({@link #negotiated}, control thread) and a connected DTLS session ({@link #connected}, DTLS thread)
 * exist, in whichever order they come. Thread-safe.
 */
public final class EndpointDataChannels {
    private final DataChannels channels;
    private final String endpointId;
    private SctpParameters sdp;
    private DtlsSession dtls;
    private boolean closed;
    private volatile DataChannelTransport transport;

    EndpointDataChannels(DataChannels channels, String endpointId) {
        this.channels = channels;
        this.endpointId = endpointId;
    }

    /** After each completed offer/answer: the accepted data channel m-line, or null. A later null keeps a transport. */
    public synchronized void negotiated(SctpParameters sctp) {
        if (sctp != null && sdp == null) sdp = sctp;
        startIfReady();
    }

    /** DTLS thread, on handshake completion (before it reads application data). */
    public synchronized void connected(DtlsSession session) {
        dtls = session;
        startIfReady();
    }

    /** DTLS thread: one application-data record. Dropped (and the client retransmits) until the transport exists. */
    public void receive(byte[] b, int off, int len) {
        DataChannelTransport t = transport;
        if (t != null) t.receive(b, off, len);
    }

    /** The running transport, or null. */
    public DataChannelTransport transport() {
        return transport;
    }

    /** The endpoint or its DTLS ended. Idempotent. */
    public synchronized void close() {
        close(() -> { });
    }

    /** Closes, then runs {@code afterwards} once what was queued to send went out (see DataChannelTransport). */
    public synchronized void close(Runnable afterwards) {
        closed = true;
        if (transport != null) {
            transport.close(afterwards);
        } else {
            afterwards.run();
        }
    }

    private void startIfReady() {
        if (closed || transport != null || sdp == null || dtls == null) return;
        transport = channels.open(endpointId, sdp, dtls);
    }
}
