package org.conclave.tests.media;

import java.time.Duration;
import java.util.Optional;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.SignalServer;

/** Reads a Chromium page's live stats (peer.html with statsIntervalMs) as the test runs. */
final class ChromiumLive {
    private ChromiumLive() {}

    /** The page's first inbound video that decodes, once its stats match {@code match}; empty if not in time. */
    static Optional<InboundRtp> awaitVideo(SignalServer signal, String endpointId,
            java.util.function.Predicate<InboundRtp> match, Duration timeout) throws InterruptedException {
        return signal.awaitLiveStats(endpointId, s -> video(s).filter(match).isPresent(), timeout).flatMap(ChromiumLive::video);
    }

    static Optional<InboundRtp> video(PeerStats s) {
        return s.inbound().stream().filter(InboundRtp::isVideo).filter(v -> v.framesDecoded() > 0).findFirst();
    }

    static String describe(SignalServer signal, String endpointId) {
        return signal.liveStats(endpointId).map(s -> s.inbound().toString()).orElse("no live stats");
    }
}
