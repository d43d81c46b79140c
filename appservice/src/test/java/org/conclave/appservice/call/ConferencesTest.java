package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.appservice.call.ServiceRig.BOT;
import static org.conclave.appservice.call.ServiceRig.CONF;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the conference room is told: the call state, missing power, encryption switched on mid-call. */
class ConferencesTest {
    private static final String ALICE = "@alice:hs";
    private static final String BOB = "@bob:hs";

    private final ServiceRig rig = new ServiceRig();

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    private void callAndConnect(String user, String callId, String endpoint) throws Exception {
        rig.push(ServiceRig.event("!dm-" + user, user, "m.call.invite", ServiceRig.invite(callId, "D", CONF, "D")));
        rig.sfu.listener(endpoint).onConnected(endpoint);
        rig.settle();
    }

    private void hangUp(String user, String callId) throws Exception {
        rig.push(ServiceRig.event("!dm-" + user, user, "m.call.hangup", ServiceRig.call(callId, "D")));
        rig.settle();
    }

    private List<FakeHomeserver.Sent> callStates() {
        return rig.hs.sent(s -> s.kind().equals("state") && s.type().equals(Conferences.CALL_STATE));
    }

    private List<String> notices() {
        return rig.hs.sent(s -> s.target().equals(CONF) && "m.room.message".equals(s.type())).stream()
                .map(FakeHomeserver.Sent::body).toList();
    }

    /** After a kill -9: the next start ends the states the dead run left, in every room, before anyone calls. */
    @Test
    void atStartTheCallStatesAnEarlierRunLeftRunningAreEndedInEveryRoom() throws Exception {
        JsonObject running = new JsonObject().put("m.name", "Conclave conference");
        rig.conference(CONF, ALICE);
        rig.hs.applied(ServiceRig.state(CONF, BOT, Conferences.CALL_STATE, "conclave-dead", running));
        rig.hs.applied(ServiceRig.state(CONF, BOT, Conferences.CALL_STATE, "conclave-over",
                running.copy().put("m.terminated", "call_ended")));
        rig.hs.applied(ServiceRig.state(CONF, ALICE, Conferences.CALL_STATE, "someone-elses", running));
        rig.conference("!other:hs");
        rig.hs.applied(ServiceRig.state("!other:hs", BOT, Conferences.CALL_STATE, "conclave-dead2", running));

        rig.onLoop(() -> {
            rig.service.onStarted();
            return io.vertx.core.Future.succeededFuture(null);
        });
        rig.settle();

        assertThat(callStates()).extracting(s -> s.target() + " " + s.stateKey() + " "
                + s.content().getString("m.terminated")).containsExactlyInAnyOrder(
                CONF + " conclave-dead call_ended", "!other:hs conclave-dead2 call_ended");
    }

    @Test
    void theCallStateAnnouncesTheConferenceAtItsFirstConnectionAndEndsWithItsLast() throws Exception {
        rig.conference(CONF, ALICE, BOB);
        callAndConnect(ALICE, "a1", "ep1");
        callAndConnect(BOB, "b1", "ep2");

        assertThat(callStates()).hasSize(1);
        FakeHomeserver.Sent started = callStates().get(0);
        assertThat(started.stateKey()).startsWith("conclave-");
        assertThat(started.content()).isEqualTo(new JsonObject().put("m.name", "Conclave conference")
                .put("m.focus", new JsonObject().put("user_id", BOT).put("device_id", "CONCLAVE")
                        .put("session_id", ServiceRig.BOT_SESSION)));

        hangUp(ALICE, "a1");
        assertThat(callStates()).hasSize(1);
        hangUp(BOB, "b1");
        assertThat(callStates()).hasSize(2);
        FakeHomeserver.Sent ended = callStates().get(1);
        assertThat(ended.stateKey()).isEqualTo(started.stateKey());
        assertThat(ended.content()).isEqualTo(started.content().copy().put("m.terminated", "call_ended"));

        // A new session of the conference gets a new group call id.
        callAndConnect(ALICE, "a2", "ep3");
        assertThat(callStates().get(2).stateKey()).isNotEqualTo(started.stateKey());
    }

    @Test
    void aCallStateAnEarlierRunLeftRunningIsEndedWhenANewOneStarts() throws Exception {
        rig.conference(CONF, ALICE);
        List<JsonObject> withStale = new ArrayList<>(rig.hs.fetch(CONF).result());
        withStale.add(ServiceRig.state(CONF, BOT, Conferences.CALL_STATE, "conclave-old",
                new JsonObject().put("m.name", "Conclave conference")));
        withStale.add(ServiceRig.state(CONF, BOT, Conferences.CALL_STATE, "conclave-older",
                new JsonObject().put("m.terminated", "call_ended")));
        rig.hs.room(CONF, withStale);

        callAndConnect(ALICE, "a1", "ep1");

        assertThat(callStates()).extracting(s -> s.stateKey() + " " + s.content().getString("m.terminated"))
                .hasSize(2).contains("conclave-old call_ended");
    }

    @Test
    void aBotWithoutPowerForTheCallStateSaysWhichLevelItNeedsOnceUntilTheLevelsChange() throws Exception {
        rig.conference(CONF, ALICE, BOB);
        rig.push(ServiceRig.powerLevels(CONF, Map.of("@owner:hs", 100))); // the bot back at 0
        callAndConnect(ALICE, "a1", "ep1");
        hangUp(ALICE, "a1");
        callAndConnect(ALICE, "a2", "ep2");

        assertThat(callStates()).isEmpty();
        assertThat(notices()).singleElement().asString()
                .contains("needs power level 50").contains("I have 0").contains("/op " + BOT + " 50")
                .contains(Conferences.CALL_STATE);

        // An admin gives the bot 50: the running conference is announced now.
        rig.push(ServiceRig.powerLevels(CONF, Map.of("@owner:hs", 100, BOT, 50)));
        rig.settle();
        assertThat(callStates()).hasSize(1);
        assertThat(notices()).hasSize(1);
    }

    @Test
    void aHomeserverRefusingTheCallStateMakesTheSameNotice() throws Exception {
        rig.conference(CONF, ALICE);
        rig.hs.forbidState(Conferences.CALL_STATE); // events[org.conclave.call] higher than the bot knew

        callAndConnect(ALICE, "a1", "ep1");

        assertThat(notices()).singleElement().asString().contains("needs power level 50");
        assertThat(rig.types("!dm-" + ALICE)).containsExactly("m.call.answer", "m.call.candidates");
    }

    @Test
    void aRoomEncryptedMidCallMakesTheSfuRequireEncryptedMediaBeforeTheEventIsDone() throws Exception {
        rig.conference(CONF, ALICE, BOB);
        callAndConnect(ALICE, "a1", "ep1");

        rig.push(ServiceRig.state(CONF, "@owner:hs", "m.room.encryption", "",
                new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")));

        // push() returned once the handler's future did: the SFU had been told by then.
        assertThat(rig.sfuCalls(c -> c.startsWith("requireE2ee"))).containsExactly("requireE2ee " + CONF);
        rig.settle();
        assertThat(notices()).singleElement().asString().contains("now end-to-end encrypted")
                .contains("cannot be turned off");

        // Once is enough; later calls are allocated requiring it.
        rig.push(ServiceRig.state(CONF, "@owner:hs", "m.room.encryption", "", new JsonObject()));
        callAndConnect(BOB, "b1", "ep2");
        assertThat(rig.sfuCalls(c -> c.startsWith("requireE2ee"))).hasSize(1);
        assertThat(rig.sfuCalls(c -> c.startsWith("allocate"))).last().asString().endsWith("e2ee=true");
    }

    @Test
    void encryptionOfARoomWithoutAConferenceOnlyChangesLaterCalls() throws Exception {
        rig.conference(CONF, ALICE);
        rig.push(ServiceRig.event("!dm", ALICE, "m.room.message", new JsonObject())); // nothing running
        rig.push(ServiceRig.state(CONF, "@owner:hs", "m.room.encryption", "", new JsonObject()));
        assertThat(rig.sfu.calls()).isEmpty();

        callAndConnect(ALICE, "a1", "ep1");
        assertThat(rig.sfu.calls()).first().asString().endsWith("e2ee=true");
        assertThat(notices()).isEmpty();
    }

    @Test
    void mediaRefusedIsToldToTheCallerInTheirRoom() throws Exception {
        rig.conference(CONF, ALICE);
        callAndConnect(ALICE, "a1", "ep1");

        rig.sfu.listener("ep1").onMediaRefused("ep1", "plaintext video");
        rig.settle();

        assertThat(rig.last("!dm-" + ALICE, "m.room.message").body())
                .contains("not encrypting its media").contains("nobody can see or hear you");
    }
}
