package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: a locked conference holds new guests in the waiting room with no media in or out; admit lets media flow
 * both ways, reject closes the endpoint, unlock admits everyone waiting.
 */
class WaitingRoomTest {
    @Test
    void lockHoldsGuestsWithoutMediaAdmitRejectUnlock() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "lobby")) {
            ControlRig.Party host = rig.join("host", Role.HOST, true);
            ControlRig.Party early = rig.join("early", Role.GUEST, true);
            assertThat(ControlRig.flows(host, early)).isTrue();

            host.dc().send("org.conclave.lock", Map.of());
            early.dc().await(0, "org.conclave.room_state", c -> c.path("locked").asBoolean(), ControlRig.TIMEOUT);

            ControlRig.Party waiter = rig.join("waiter", Role.GUEST, true);
            assertThat(waiter.dc().await("org.conclave.waiting_status", ControlRig.TIMEOUT).path("status").asText())
                    .isEqualTo("waiting");
            host.dc().awaitRoster(r -> r.containsKey(waiter.id()) && r.get(waiter.id()).path("waiting").asBoolean(),
                    ControlRig.TIMEOUT);
            // Positive control first: the others' audio is flowing while the waiter gets none of it.
            assertThat(ControlRig.flows(host, early)).isTrue();
            ControlRig.Silence hostAtWaiter = ControlRig.silence(host, waiter);
            ControlRig.Silence waiterAtHost = ControlRig.silence(waiter, host);
            ControlRig.Silence waiterAtEarly = ControlRig.silence(waiter, early);
            System.out.printf("WaitingRoomTest: while waiting: host->waiter %d total (+%d while host sent %d), "
                    + "waiter->host %d total (+%d while waiter sent %d), waiter->early %d%n", hostAtWaiter.after(),
                    hostAtWaiter.grew(), hostAtWaiter.sentDuring(), waiterAtHost.after(), waiterAtHost.grew(),
                    waiterAtHost.sentDuring(), waiterAtEarly.after());
            assertThat(waiter.peer().audioPackets()).as("the waiter received no audio at all").isZero();
            assertThat(waiterAtHost.after()).as("the waiter's audio reached the host").isZero();
            assertThat(waiterAtEarly.after()).as("the waiter's audio reached the early guest").isZero();
            assertThat(waiterAtHost.sentDuring()).isGreaterThan(50);
            assertThat(early.dc().roster()).as("guests never see waiting participants").doesNotContainKey(waiter.id());

            host.dc().send("org.conclave.admit", ControlRig.target(waiter));
            waiter.dc().await(0, "org.conclave.waiting_status", c -> c.path("status").asText().equals("admitted"),
                    ControlRig.TIMEOUT);
            assertThat(waiter.dc().await("org.conclave.welcome", ControlRig.TIMEOUT).path("endpoint_id").asText())
                    .isEqualTo(waiter.id());
            assertThat(ControlRig.flows(host, waiter)).as("host -> admitted").isTrue();
            assertThat(ControlRig.flows(waiter, host)).as("admitted -> host").isTrue();
            assertThat(ControlRig.flows(waiter, early)).as("admitted -> early").isTrue();
            System.out.printf("WaitingRoomTest: after admit host->waiter %d, waiter->host %d%n",
                    waiter.peer().audioPacketsFrom(host.peer()), host.peer().audioPacketsFrom(waiter.peer()));

            ControlRig.Party rejected = rig.join("rejected", Role.GUEST, true);
            rejected.dc().await("org.conclave.waiting_status", ControlRig.TIMEOUT);
            int count = rig.endpointCount();
            host.dc().send("org.conclave.reject", Map.of("endpoint_id", rejected.id(), "reason", "not today"));
            assertThat(rejected.dc().await(0, "org.conclave.waiting_status",
                    c -> c.path("status").asText().equals("rejected"), ControlRig.TIMEOUT).path("reason").asText())
                    .isEqualTo("not today");
            assertThat(JavaRig.await(() -> rejected.member().closed, ControlRig.TIMEOUT)).as("rejected closed").isTrue();
            assertThat(rig.endpointCount()).isEqualTo(count - 1);
            assertThat(rejected.peer().audioPackets()).isZero();

            ControlRig.Party w1 = rig.join("w1", Role.GUEST, true);
            ControlRig.Party w2 = rig.join("w2", Role.GUEST, true);
            w1.dc().await("org.conclave.waiting_status", ControlRig.TIMEOUT);
            w2.dc().await("org.conclave.waiting_status", ControlRig.TIMEOUT);
            ControlRig.Party lateHost = rig.join("late-host", Role.HOST, true);
            assertThat(lateHost.dc().await("org.conclave.welcome", ControlRig.TIMEOUT).path("role").asText())
                    .as("hosts never wait").isEqualTo("host");
            host.dc().send("org.conclave.unlock", Map.of());
            for (ControlRig.Party w : new ControlRig.Party[] {w1, w2}) {
                w.dc().await(0, "org.conclave.waiting_status", c -> c.path("status").asText().equals("admitted"),
                        ControlRig.TIMEOUT);
                assertThat(ControlRig.flows(host, w)).as("host -> %s", w.name()).isTrue();
                assertThat(ControlRig.flows(w, early)).as("%s -> early", w.name()).isTrue();
            }
            early.dc().awaitRoster(r -> r.containsKey(w1.id()) && r.containsKey(w2.id()), ControlRig.TIMEOUT);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }
}
