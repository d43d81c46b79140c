package org.conclave.sfu.sctp;

import org.conclave.sfu.sctp.dcep.ChannelType;

/**
 * How a channel the SFU opens behaves, as in RTCDataChannelInit: ordered or not, and at most one of
 * {@code maxRetransmits} / {@code maxLifetimeMillis} ({@link #NOT_SET} otherwise). Priority is carried in
 * DATA_CHANNEL_OPEN but does not affect scheduling.
 */
public record ChannelOptions(boolean ordered, int maxRetransmits, int maxLifetimeMillis, int priority,
                             String protocol) {
    public static final int NOT_SET = -1;
    /** "normal" of RFC 8832 §5.1. */
    public static final int DEFAULT_PRIORITY = 256;

    public ChannelOptions {
        if (maxRetransmits < NOT_SET || maxLifetimeMillis < NOT_SET) {
            throw new IllegalArgumentException("negative limit");
        }
        if (maxRetransmits != NOT_SET && maxLifetimeMillis != NOT_SET) {
            throw new IllegalArgumentException("maxRetransmits and maxLifetimeMillis are exclusive");
        }
        if (priority < 0 || priority > 0xFFFF) throw new IllegalArgumentException("priority out of range");
        if (protocol == null) throw new IllegalArgumentException("protocol is null");
    }

    /** Reliable and ordered: the WebRTC default. */
    public static ChannelOptions reliable() {
        return new ChannelOptions(true, NOT_SET, NOT_SET, DEFAULT_PRIORITY, "");
    }

    public ChannelOptions unordered() {
        return new ChannelOptions(false, maxRetransmits, maxLifetimeMillis, priority, protocol);
    }

    public ChannelOptions withMaxRetransmits(int n) {
        return new ChannelOptions(ordered, n, NOT_SET, priority, protocol);
    }

    public ChannelOptions withMaxLifetimeMillis(int ms) {
        return new ChannelOptions(ordered, NOT_SET, ms, priority, protocol);
    }

    public ChannelOptions withPriority(int p) {
        return new ChannelOptions(ordered, maxRetransmits, maxLifetimeMillis, p, protocol);
    }

    public ChannelOptions withProtocol(String p) {
        return new ChannelOptions(ordered, maxRetransmits, maxLifetimeMillis, priority, p);
    }

    ChannelType channelType() {
        ChannelType.Reliability r = ChannelType.Reliability.RELIABLE;
        if (maxRetransmits != NOT_SET) r = ChannelType.Reliability.MAX_RETRANSMITS;
        if (maxLifetimeMillis != NOT_SET) r = ChannelType.Reliability.MAX_LIFETIME;
        return ChannelType.of(ordered, r);
    }

    long reliabilityParameter() {
        return maxRetransmits != NOT_SET ? maxRetransmits : maxLifetimeMillis != NOT_SET ? maxLifetimeMillis : 0;
    }
}
