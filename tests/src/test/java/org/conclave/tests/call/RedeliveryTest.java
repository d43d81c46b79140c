package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Homeservers deliver twice: the same transaction again (a lost 200), or the same event in a new transaction. An
 * invite must still give one endpoint and one answer, and an invite of a finished call must not start it again.
 * The appservice acknowledges a transaction only after handling it, so once the pusher is idle every effect of a
 * redelivery would be visible.
 */
class RedeliveryTest {
    @TempDir
    Path dir;

    @Test
    void aRedeliveredInviteTransactionGivesNoSecondEndpointOrAnswer() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            String room = rig.conferenceRoom(alice);
            try (JavaCaller a = JavaCaller.open(rig.bridge, alice, room)) {
                a.connect();
                String invite = inviteEventId(rig, a.call);
                AppservicePusher pusher = rig.hs.pusher();
                pusher.awaitIdle(CallRig.TIMEOUT);

                String txnId = pusher.redeliver(invite);
                pusher.awaitIdle(CallRig.TIMEOUT);

                assertThat(pusher.deliveries()).anyMatch(d -> d.duplicate() && d.txnId().equals(txnId)
                        && d.eventIds().contains(invite) && d.status() == 200);
                assertOneCall(rig, a.call, 1);
            }
        }
    }

    @Test
    void anInviteResentInANewTransactionGivesNoSecondEndpointOrAnswer() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            String room = rig.conferenceRoom(alice);
            try (JavaCaller a = JavaCaller.open(rig.bridge, alice, room)) {
                a.connect();
                String invite = inviteEventId(rig, a.call);
                AppservicePusher pusher = rig.hs.pusher();
                pusher.awaitIdle(CallRig.TIMEOUT);
                int before = pusher.deliveries().size();

                pusher.resend(invite);
                pusher.awaitIdle(CallRig.TIMEOUT);

                assertThat(deliveriesSince(pusher, before)).anyMatch(d -> !d.duplicate()
                        && d.eventIds().contains(invite) && d.status() == 200);
                assertOneCall(rig, a.call, 1);
            }
        }
    }

    @Test
    void anInviteOfAFinishedCallDeliveredAgainDoesNotRestartIt() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            String room = rig.conferenceRoom(alice);
            try (JavaCaller a = JavaCaller.open(rig.bridge, alice, room)) {
                a.connect();
                String invite = inviteEventId(rig, a.call);
                a.call.hangup("user_hangup");
                rig.awaitEndpointCount(0, CallRig.TIMEOUT);
                AppservicePusher pusher = rig.hs.pusher();
                pusher.awaitIdle(CallRig.TIMEOUT);
                int before = pusher.deliveries().size();

                pusher.redeliver(invite);
                pusher.resend(invite);
                pusher.awaitIdle(CallRig.TIMEOUT);

                assertThat(deliveriesSince(pusher, before)).filteredOn(d -> d.eventIds().contains(invite))
                        .hasSize(2).allMatch(d -> d.status() == 200);
                assertOneCall(rig, a.call, 0);
            }
        }
    }

    private static String inviteEventId(CallRig rig, MatrixCall call) {
        return rig.hs.timeline(call.dmRoom()).stream()
                .filter(e -> e.getString("type").equals(CallContent.INVITE)
                        && call.callId().equals(e.getJsonObject("content").getString("call_id")))
                .map(e -> e.getString("event_id")).findFirst().orElseThrow();
    }

    private static List<AppservicePusher.Delivery> deliveriesSince(AppservicePusher pusher, int index) {
        List<AppservicePusher.Delivery> all = pusher.deliveries();
        return all.subList(index, all.size());
    }

    /** One answer and one candidates batch for the call in its DM, and {@code endpoints} SFU endpoints now. */
    private static void assertOneCall(CallRig rig, MatrixCall call, int endpoints) throws Exception {
        List<JsonObject> fromBot = rig.hs.timeline(call.dmRoom()).stream()
                .filter(e -> e.getString("sender").equals(rig.bot())
                        && call.callId().equals(e.getJsonObject("content").getString("call_id")))
                .toList();
        assertThat(fromBot).filteredOn(e -> e.getString("type").equals(CallContent.ANSWER)).hasSize(1);
        assertThat(fromBot).filteredOn(e -> e.getString("type").equals(CallContent.CANDIDATES)).hasSize(1);
        assertThat(rig.endpointCount()).isEqualTo(endpoints);
    }
}
