package org.conclave.sfu.dtls;

/**
 * Puts one DTLS datagram on the wire (the lead's code: the shared UDP socket, to the ICE-selected address).
 * Called from the session's DTLS thread and from {@link DtlsSession#sendApplicationData}; must not block
 * for long, and must copy the bytes if it keeps them after returning.
 */
@FunctionalInterface
public interface PacketSender {
    void send(byte[] b, int off, int len);
}
