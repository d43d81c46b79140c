package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.conclave.sfu.control.FailureReason;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerReport;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.SignalEvent;
import org.conclave.tests.harness.Stats;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.api.Test;

/** A client whose DTLS certificate does not match the a=fingerprint of its offer is refused, with that reason. */
class FingerprintMismatchTest {

    @Test
    void wrongFingerprintFailsTheEndpointWithThatReason() throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(1)
                        .signal(f.signal).conference("liar").participant("chrome")
                        .durationMs(8_000).video().audio().arg("--bad-fingerprint").command(), TestPaths.jsDir())) {
            AllocatedEndpoint ep = f.signal.awaitEndpoint("chrome-1", Duration.ofSeconds(30)).orElseThrow();
            SignalEvent failed = ep.events().await(SignalEvent.FAILED, Duration.ofSeconds(30)).orElseThrow(
                    () -> new AssertionError("no failed event: " + ep.events().snapshot()));
            assertThat(failed.reason()).isEqualTo(FailureReason.DTLS_FINGERPRINT_MISMATCH.name());
            assertThat(failed.detail()).containsIgnoringCase("fingerprint");
            assertThat(ep.events().await(SignalEvent.CLOSED, Duration.ofSeconds(10))).isPresent();
            assertThat(ep.events().snapshot()).noneMatch(e -> e.type().equals(SignalEvent.CONNECTED));
            PeerReport report = chromium.awaitReport(Duration.ofSeconds(60));
            PeerStats p = Stats.peers(report).get(0);
            assertThat(p.failure()).isEqualTo(FailureReason.DTLS_FINGERPRINT_MISMATCH.name());
            assertThat(f.sfu.conferences().endpointCount().toCompletableFuture().get()).isZero();
        }
    }
}
