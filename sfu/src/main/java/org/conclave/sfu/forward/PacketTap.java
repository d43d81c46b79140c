package org.conclave.sfu.forward;

/**
 * Sees each RTP packet after hop-by-hop SRTP decryption, on the packet thread. For diagnostics and for the tests
 * that prove an end-to-end-encrypted payload stays ciphertext inside the SFU; must copy what it keeps and return fast.
 */
@FunctionalInterface
public interface PacketTap {
    void onDecryptedRtp(String endpointId, byte[] packet, int off, int len);
}
