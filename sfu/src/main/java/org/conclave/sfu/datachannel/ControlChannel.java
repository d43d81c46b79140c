package org.conclave.sfu.datachannel;

import org.conclave.sfu.sctp.DataChannel;

/** One client's data channel as a {@link ControlMessageHandler} sees it: who it belongs to, and a way to reply. */
public final class ControlChannel {
    private final String endpointId;
    private final DataChannel channel;
    private final DataChannelTransport transport;

    ControlChannel(String endpointId, DataChannel channel, DataChannelTransport transport) {
        this.endpointId = endpointId;
        this.channel = channel;
        this.transport = transport;
    }

    public String endpointId() {
        return endpointId;
    }

    public String label() {
        return channel.label();
    }

    /** The SCTP stream id, stable for the channel's life. */
    public int id() {
        return channel.id();
    }

    /**
     * Queues a text message on this channel; callable from any thread (hops onto the SCTP thread). Messages larger
     * than the client's max-message-size, or beyond a full send buffer, are dropped and counted.
     */
    public void send(String text) {
        transport.send(channel, text);
    }
}
