package org.conclave.sfu.sctp;

import java.nio.charset.StandardCharsets;
import org.conclave.sfu.sctp.dcep.ChannelType;

/**
 * One WebRTC data channel: an SCTP stream pair opened with DCEP (RFC 8832). Use it only on the thread that drives its
 * association. A channel the SFU opens is CONNECTING until the peer's DATA_CHANNEL_ACK (or first message) and may
 * already send (ordered, as RFC 8832 §6 requires before the ACK); a channel the peer opens starts OPEN.
 */
public final class DataChannel {
    public enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private final Channels channels;
    private final int id;
    private final String label;
    private final String protocol;
    private final ChannelType type;
    private final long reliabilityParameter;
    private final int priority;
    private final boolean openedLocally;
    State state;
    boolean incomingReset;
    boolean outgoingReset;

    DataChannel(Channels channels, int id, String label, String protocol, ChannelType type, long reliabilityParameter,
                int priority, boolean openedLocally) {
        this.channels = channels;
        this.id = id;
        this.label = label;
        this.protocol = protocol;
        this.type = type;
        this.reliabilityParameter = reliabilityParameter;
        this.priority = priority;
        this.openedLocally = openedLocally;
        this.state = openedLocally ? State.CONNECTING : State.OPEN;
    }

    /** The SCTP stream id (odd for channels the DTLS server opens, even for the DTLS client's). */
    public int id() {
        return id;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return protocol;
    }

    public ChannelType type() {
        return type;
    }

    public boolean ordered() {
        return type.ordered();
    }

    /** Retransmissions allowed per message, or {@link ChannelOptions#NOT_SET} unless the type limits them. */
    public int maxRetransmits() {
        return type.reliability() == ChannelType.Reliability.MAX_RETRANSMITS
                ? (int) Math.min(Integer.MAX_VALUE, reliabilityParameter) : ChannelOptions.NOT_SET;
    }

    /** Message lifetime in ms, or {@link ChannelOptions#NOT_SET} unless the type limits it. */
    public int maxLifetimeMillis() {
        return type.reliability() == ChannelType.Reliability.MAX_LIFETIME
                ? (int) Math.min(Integer.MAX_VALUE, reliabilityParameter) : ChannelOptions.NOT_SET;
    }

    public int priority() {
        return priority;
    }

    public boolean openedLocally() {
        return openedLocally;
    }

    public State state() {
        return state;
    }

    /**
     * Queues a binary message. False — and nothing sent — when the channel is not CONNECTING/OPEN, the message exceeds
     * the peer's max-message-size, or the association's send buffer is full.
     */
    public boolean send(byte[] data) {
        return channels.send(this, data.clone(), true);
    }

    /** Queues a text message (UTF-8); false as for {@link #send(byte[])}. */
    public boolean send(String text) {
        return channels.send(this, text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Starts closing: our outgoing stream is reset after its queued messages; CLOSED once both directions are. */
    public void close() {
        channels.close(this);
    }

    @Override
    public String toString() {
        return "DataChannel[" + id + " '" + label + "' " + type + " " + state + "]";
    }
}
