package org.conclave.bench.client;

/**
 * The transport half of a client's SDP: ICE credentials, DTLS fingerprint and its one host candidate.
 *
 * @param fingerprint "sha-256 AB:CD:..."
 * @param candidate "candidate:1 1 udp PRIORITY IP PORT typ host" (without "a=")
 */
public record LocalIdentity(String ufrag, String pwd, String fingerprint, String candidate) {}
