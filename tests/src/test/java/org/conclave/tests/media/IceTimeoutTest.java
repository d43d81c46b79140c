package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/** An endpoint whose client never sends an authenticated ICE check fails with ICE_TIMEOUT (time is injected). */
class IceTimeoutTest {

    @Test
    void endpointWithoutIceChecksFailsWithIceTimeout() throws Exception {
        AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
        SfuConfig config = SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0);
        try (Sfu sfu = Sfu.start(config, now::get)) {
            CompletableFuture<String> failed = new CompletableFuture<>();
            CompletableFuture<String> closed = new CompletableFuture<>();
            String id = sfu.control().allocate(new AllocateRequest("c", "silent", Role.GUEST), new EndpointListener() {
                @Override
                public void onFailed(String endpointId, FailureReason reason, String detail) {
                    failed.complete(reason + ": " + detail);
                }

                @Override
                public void onClosed(String endpointId) {
                    closed.complete(endpointId);
                }
            }).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
            sfu.control().applyOffer(id, HostileInputTest.OFFER).toCompletableFuture().get(5, TimeUnit.SECONDS);

            // The exact boundary is IceLiteAgentTest's; here the wiring: packet thread -> control -> listener.
            // Past the timeout by more than one housekeeping tick, so the packet thread looks again.
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(config.iceConnectTimeoutMs() + 200));
            assertThat(failed.get(5, TimeUnit.SECONDS)).startsWith(FailureReason.ICE_TIMEOUT.name());
            assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(id);
            assertThat(sfu.conferences().endpointCount().toCompletableFuture().get()).isZero();
        }
    }
}
