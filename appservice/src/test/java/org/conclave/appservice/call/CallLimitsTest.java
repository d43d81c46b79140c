package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.appservice.call.ServiceRig.CONF;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.config.CallLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The caps through the service: a refused invite touches no SFU and no room state, is told once in words (m.call.reject
 * with the reason and a notice), and is then dropped quietly until the notice interval has passed.
 */
class CallLimitsTest {
    private static final String MALLORY = "@mallory:hs";
    private static final String DM = "!dm-mallory:hs";
    /** 3 invites a minute per user, 4 per room, 2 calls at once, told at most once a minute. */
    private static final CallLimits LIMITS = new CallLimits(3, 4, 2, 60_000);

    private final AtomicLong now = new AtomicLong();
    private final ServiceRig rig = new ServiceRig(new CallConfig(List.of("hs"), 50, true, 30_000, LIMITS), now::get);

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    private void invite(String user, String dm, String callId) throws Exception {
        invite(user, dm, callId, CONF);
    }

    private void invite(String user, String dm, String callId, String conference) throws Exception {
        rig.push(ServiceRig.event(dm, user, "m.call.invite", ServiceRig.invite(callId, "DEV", conference, "DEV")));
    }

    private long allocations() {
        return rig.sfuCalls(c -> c.startsWith("allocate")).size();
    }

    @Test
    void aFloodFromOneUserGetsItsRateOneRefusalInWordsAndThenSilence() throws Exception {
        rig.conference(CONF, MALLORY);
        for (int i = 0; i < 50; i++) {
            invite(MALLORY, DM, "c" + i);
            // The calls end at once, so only the rate limits (not the calls at once).
            rig.push(ServiceRig.event(DM, MALLORY, "m.call.hangup", ServiceRig.call("c" + i, "DEV")));
        }

        assertThat(allocations()).as("endpoints allocated").isEqualTo(3);
        List<String> types = rig.types(DM);
        assertThat(types.stream().filter("m.call.answer"::equals)).hasSize(3);
        assertThat(types.stream().filter("m.call.reject"::equals)).as("rejects").hasSize(1);
        assertThat(types.stream().filter("notice"::equals)).as("notices").hasSize(1);
        String words = rig.last(DM, "m.room.message").body();
        assertThat(words).contains("at most 3 calls a minute").contains("calls.max_invites_per_user_per_minute")
                .contains("Wait a minute");
        assertThat(rig.last(DM, "m.call.reject").content().getString("org.conclave.reason")).isEqualTo(words);
        assertThat(rig.service.limits().userRate()).isEqualTo(47);
        assertThat(rig.service.limits().unanswered()).isEqualTo(46);

        // A minute later: tokens are back, and a refusal is told again.
        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        for (int i = 50; i < 54; i++) invite(MALLORY, DM, "c" + i);
        assertThat(allocations()).isEqualTo(5); // 2 more: the calls-at-once cap of 2 holds the third
        assertThat(rig.types(DM).stream().filter("m.call.reject"::equals)).hasSize(2);
        assertThat(rig.last(DM, "m.room.message").body()).contains("You already have 2 calls running")
                .contains("calls.max_calls_per_user");
    }

    @Test
    void aCrowdedRoomIsCappedWhileAnotherConferenceGoesOn() throws Exception {
        String other = "!other:hs";
        String[] crowd = new String[10];
        for (int i = 0; i < crowd.length; i++) crowd[i] = "@c" + i + ":hs";
        rig.conference(CONF, crowd);
        rig.conference(other, "@alice:hs");

        for (int i = 0; i < crowd.length; i++) invite(crowd[i], "!dm-c" + i + ":hs", "k" + i);
        invite("@alice:hs", "!dm-alice:hs", "a1", other);

        assertThat(rig.sfuCalls(c -> c.startsWith("allocate " + CONF))).hasSize(4);
        assertThat(rig.sfuCalls(c -> c.startsWith("allocate " + other))).hasSize(1);
        assertThat(rig.types("!dm-alice:hs")).containsExactly("m.call.answer", "m.call.candidates");
        // Each refused caller is a different person: each is told once.
        for (int i = 4; i < crowd.length; i++) {
            assertThat(rig.types("!dm-c" + i + ":hs")).containsExactly("m.call.reject", "notice");
            assertThat(rig.last("!dm-c" + i + ":hs", "m.room.message").body())
                    .contains("Too many people are calling into the conference room " + CONF)
                    .contains("calls.max_invites_per_room_per_minute");
        }
        assertThat(rig.service.limits().roomRate()).isEqualTo(6);
    }

    /** Refusals of to-device callers are told in the conference room, which everyone reads: once per interval. */
    @Test
    void aCrowdCallingWithToDeviceMessagesIsRefusedEachWithARejectAndOneNoticeInTheRoom() throws Exception {
        String[] crowd = new String[10];
        for (int i = 0; i < crowd.length; i++) crowd[i] = "@c" + i + ":hs";
        rig.conference(CONF, crowd);
        for (int i = 0; i < crowd.length; i++) {
            rig.pushToDevice(crowd[i], "m.call.invite", ServiceRig.invite("k" + i, "DEV", CONF, "DEV"));
        }
        assertThat(allocations()).isEqualTo(4);
        for (int i = 4; i < crowd.length; i++) {
            FakeHomeserver.Sent reject = rig.last(crowd[i] + " DEV", "m.call.reject");
            assertThat(reject.content().getString("org.conclave.reason")).contains("Too many people");
        }
        assertThat(rig.types(CONF).stream().filter("notice"::equals)).as("notices in the conference room").hasSize(1);

        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        rig.pushToDevice("@c9:hs", "m.call.invite", ServiceRig.invite("again", "DEV", CONF, "DEV"));
        assertThat(rig.types(CONF).stream().filter("notice"::equals)).hasSize(1); // admitted now: nothing to tell
    }

    @Test
    void aToDeviceFloodIsCappedTheSameWay() throws Exception {
        rig.conference(CONF, MALLORY);
        for (int i = 0; i < 20; i++) {
            rig.pushToDevice(MALLORY, "m.call.invite", ServiceRig.invite("t" + i, "DEV", CONF, "DEV"));
        }
        assertThat(allocations()).isEqualTo(2); // calls at once
        String toMallory = MALLORY + " DEV";
        assertThat(rig.types(toMallory).stream().filter("m.call.reject"::equals)).hasSize(1);
        // The to-device caller's notice goes to the conference room, once.
        assertThat(rig.types(CONF).stream().filter("notice"::equals)).hasSize(1);
    }
}
