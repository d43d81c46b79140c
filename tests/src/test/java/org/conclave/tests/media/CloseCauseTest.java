package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.Role;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * Issue #11: every way an endpoint ends says why ({@code EndpointListener.onClosed(id, cause, detail)}), so the
 * appservice ends a normal hangup quietly: the client closing DTLS (what a browser does when it hangs up) is CLIENT,
 * not a failure; a host's disconnect is HOST with the host's reason; {@code close()} is CONTROL; the SFU shutting
 * down is SHUTDOWN.
 */
class CloseCauseTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void eachWayAnEndpointEndsIsReportedWithItsCause() throws Exception {
        SfuFixture f = SfuFixture.start();
        try (ControlRig rig = new ControlRig(f, "causes"); JavaPeer hangingUp = new JavaPeer();
                JavaPeer closed = new JavaPeer(); JavaPeer stays = new JavaPeer()) {
            ControlRig.Party host = rig.join("host", Role.HOST, false);
            ControlRig.Party guest = rig.join("guest", Role.GUEST, false);
            JavaRig.Member client = JavaRig.join(f.sfu.control(), "causes", "client", hangingUp, null);
            JavaRig.Member control = JavaRig.join(f.sfu.control(), "causes", "control", closed, null);
            JavaRig.Member shutdown = JavaRig.join(f.sfu.control(), "causes", "shutdown", stays, null);
            // join() returns once each peer's DTLS is up

            hangingUp.hangUp(2_000);
            assertThat(JavaRig.await(() -> client.closed, TIMEOUT)).isTrue();
            assertThat(client.closeCause).isEqualTo(CloseCause.CLIENT);
            assertThat(client.failure).as("a hangup is no failure").isNull();

            host.dc().call("org.conclave.disconnect", Map.of("endpoint_id", guest.id(), "reason", "off topic"), TIMEOUT);
            assertThat(JavaRig.await(() -> guest.member().closed, TIMEOUT)).isTrue();
            assertThat(guest.member().closeCause).isEqualTo(CloseCause.HOST);
            assertThat(guest.member().closeDetail).isEqualTo("off topic");
            assertThat(guest.member().failure).isNull();

            f.sfu.control().close(control.endpointId, "the caller hung up").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(JavaRig.await(() -> control.closed, TIMEOUT)).isTrue();
            assertThat(control.closeCause).isEqualTo(CloseCause.CONTROL);
            assertThat(control.closeDetail).isEqualTo("the caller hung up");

            f.close();
            assertThat(shutdown.closeCause).isEqualTo(CloseCause.SHUTDOWN);
            assertThat(host.member().closeCause).isEqualTo(CloseCause.SHUTDOWN);
            assertThat(shutdown.failure).isNull();
        } finally {
            f.close();
        }
    }
}
