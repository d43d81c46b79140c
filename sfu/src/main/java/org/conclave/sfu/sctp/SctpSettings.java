package org.conclave.sfu.sctp;

/**
 * Per-association configuration from the SDP and the DTLS role.
 *
 * @param localPort              our {@code a=sctp-port}
 * @param remotePort             the peer's {@code a=sctp-port}
 * @param mtu                    largest SCTP packet we send (RFC 8261 §5: keep DTLS records under the path MTU)
 * @param maxReceiveMessageSize  our {@code a=max-message-size}: larger incoming messages abort the association
 * @param maxSendMessageSize     the peer's {@code a=max-message-size}: {@code send} refuses larger messages
 * @param dtlsServer             whether we are the DTLS server; it opens channels on odd stream ids (RFC 8832 §6)
 */
public record SctpSettings(int localPort, int remotePort, int mtu, int maxReceiveMessageSize, int maxSendMessageSize,
                           boolean dtlsServer) {
    public static final int DEFAULT_PORT = 5000;
    public static final int DEFAULT_MTU = 1200;
    public static final int MIN_MTU = 508;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 262144;

    public SctpSettings {
        if (localPort < 1 || localPort > 0xFFFF || remotePort < 1 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("SCTP ports must be 1..65535");
        }
        if (mtu < MIN_MTU || mtu > 0xFFFF) throw new IllegalArgumentException("mtu must be " + MIN_MTU + "..65535");
        if (maxReceiveMessageSize < 1 || maxReceiveMessageSize > ReassemblyQueue.MAX_BUFFERED_BYTES / 2) {
            throw new IllegalArgumentException(
                    "maxReceiveMessageSize must be 1.." + ReassemblyQueue.MAX_BUFFERED_BYTES / 2);
        }
        if (maxSendMessageSize < 1) throw new IllegalArgumentException("maxSendMessageSize must be positive");
    }

    /** Ports 5000/5000, MTU 1200, 256 KiB messages both ways. */
    public static SctpSettings defaults(boolean dtlsServer) {
        return new SctpSettings(DEFAULT_PORT, DEFAULT_PORT, DEFAULT_MTU, DEFAULT_MAX_MESSAGE_SIZE,
                DEFAULT_MAX_MESSAGE_SIZE, dtlsServer);
    }

    public SctpSettings withMaxSendMessageSize(int bytes) {
        return new SctpSettings(localPort, remotePort, mtu, maxReceiveMessageSize, bytes, dtlsServer);
    }

    public SctpSettings withMtu(int bytes) {
        return new SctpSettings(localPort, remotePort, bytes, maxReceiveMessageSize, maxSendMessageSize, dtlsServer);
    }
}
