package org.conclave.sfu.e2ee;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-to-end-encryption check's counters of one conference: the sums over its endpoints.
 *
 * @param endpointsHeld endpoints held now as not encrypting
 */
public record E2eeConferenceStats(String conferenceId, int endpoints, int endpointsHeld, long framesForwarded,
        long framesRefused, long packetsRefused, int streamsHeld) {

    /** Per conference id, in id order. */
    public static Map<String, E2eeConferenceStats> of(Collection<E2eeEndpointStats> endpoints) {
        Map<String, E2eeConferenceStats> out = new TreeMap<>();
        for (E2eeEndpointStats e : endpoints) {
            E2eeConferenceStats c = out.getOrDefault(e.conferenceId(),
                    new E2eeConferenceStats(e.conferenceId(), 0, 0, 0, 0, 0, 0));
            out.put(e.conferenceId(), new E2eeConferenceStats(c.conferenceId, c.endpoints + 1,
                    c.endpointsHeld + (e.state() == E2eeState.HELD ? 1 : 0), c.framesForwarded + e.framesForwarded(),
                    c.framesRefused + e.framesRefused(), c.packetsRefused + e.packetsRefused(),
                    c.streamsHeld + e.streamsHeld()));
        }
        return out;
    }
}
