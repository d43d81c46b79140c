package org.conclave.sfu.e2ee;

/**
 * What the end-to-end-encryption check did to one endpoint of a conference that requires it (plain data, for the
 * admin view and metrics).
 *
 * @param state where the endpoint stands now
 * @param framesForwarded frames forwarded
 * @param framesRefused frames refused (counted once per frame, whatever its number of packets)
 * @param framesRefusedWhileForwarding of those, refused while the endpoint was trusted (probation and holds aside):
 *     none for a client that encrypts correctly
 * @param packetsRefused packets refused
 * @param streamsHeld media streams (SSRCs) of the endpoint held now as not encrypting; 0 unless {@code state} is HELD
 * @param holds how often the endpoint was held (each renegotiation gives it another chance)
 */
public record E2eeEndpointStats(String conferenceId, String endpointId, E2eeState state, long framesForwarded,
        long framesRefused, long framesRefusedWhileForwarding, long packetsRefused, int streamsHeld, int holds) {}
