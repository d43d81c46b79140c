package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The one JSON line a peer process prints at its end: {@code {"peers":[...], "error": ...}}.
 *
 * @param error a failure of the whole process (launch, signalling), or null
 * @param exitCode the process exit code (not part of the JSON; set by {@link PeerProcess})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PeerReport(List<PeerStats> peers, String error, int exitCode) {
    public PeerReport {
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    PeerReport withExitCode(int code) {
        return new PeerReport(peers, error, code);
    }
}
