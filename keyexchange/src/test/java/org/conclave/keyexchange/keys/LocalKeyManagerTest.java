package org.conclave.keyexchange.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.keyexchange.sframe.CipherSuite;
import org.conclave.keyexchange.sframe.SFrameException;
import org.conclave.keyexchange.sframe.SFrameSender;
import org.conclave.keyexchange.testing.FakeWallClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalKeyManagerTest {
    private static final byte[] FRAME = "frame".getBytes();
    private static final byte[] NO_METADATA = {};

    private FakeWallClock clock;
    private LocalKeyManager alice;

    @BeforeEach
    void setUp() {
        clock = new FakeWallClock(1_700_000_000_000L);
        alice = new LocalKeyManager(clock, new SecureRandom(), KeyTimings.DEFAULT);
    }

    @Test
    void startMakesIndexZeroUsedAtOnceAndSendsItToEveryone() {
        KeyActions a = alice.start(List.of("bob", "carol"));
        assertThat(a.switched()).isTrue();
        assertThat(a.encryptWith().index()).isZero();
        assertThat(a.deliveries()).containsExactly(new KeyDelivery(List.of(a.encryptWith()), Set.of("bob", "carol")));
        assertThat(alice.nextDeadlineMillis()).isEqualTo(clock.currentTimeMillis() + KeyTimings.ROTATION_PERIOD_MILLIS);
        assertThatThrownBy(() -> alice.start(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void departedMemberCannotDecryptAnythingSentAfterTheRotation() throws SFrameException {
        KeyActions start = alice.start(List.of("bob", "carol"));
        Map<String, RemoteKeyring> rings = new HashMap<>();
        rings.put("bob", new RemoteKeyring("alice", CipherSuite.DEFAULT));
        rings.put("carol", new RemoteKeyring("alice", CipherSuite.DEFAULT));
        deliver(start, rings);
        SFrameSender sender = new SFrameSender(CipherSuite.DEFAULT);
        sender.useKey(start.encryptWith().kid(), start.encryptWith().key());
        byte[] before = sender.encrypt(FRAME, NO_METADATA);
        assertThat(rings.get("bob").receiver().decrypt(before, NO_METADATA)).isEqualTo(FRAME);

        alice.memberLeft("bob");
        assertThat(alice.nextDeadlineMillis()).isEqualTo(clock.currentTimeMillis() + 3_000);
        clock.advanceMillis(2_999);
        assertThat(alice.poll().deliveries()).isEmpty();
        clock.advanceMillis(1);
        KeyActions made = alice.poll();
        assertThat(made.switched()).isFalse();                       // made and sent, not used yet
        assertThat(made.deliveries()).hasSize(1);
        assertThat(made.deliveries().get(0).recipients()).containsExactly("carol");
        MediaKey next = made.deliveries().get(0).keys().get(0);
        assertThat(next.index()).isEqualTo(1);
        assertThat(alice.pendingKey()).contains(next);
        deliver(made, rings);

        clock.advanceMillis(4_999);
        assertThat(alice.poll().switched()).isFalse();
        clock.advanceMillis(1);
        KeyActions used = alice.poll();
        assertThat(used.switched()).isTrue();
        assertThat(used.encryptWith()).isEqualTo(next);
        sender.useKey(used.encryptWith().kid(), used.encryptWith().key());

        byte[] after = sender.encrypt(FRAME, NO_METADATA);
        assertThat(rings.get("carol").receiver().decrypt(after, NO_METADATA)).isEqualTo(FRAME);
        assertThatThrownBy(() -> rings.get("bob").receiver().decrypt(after, NO_METADATA))
                .isInstanceOf(SFrameException.UnknownKey.class);
        // Even if Bob installs every key he ever held under the new KID, the tag does not verify.
        RemoteKeyring bobGuessing = new RemoteKeyring("alice", CipherSuite.DEFAULT);
        bobGuessing.accept(new MediaKey(next.index(), start.encryptWith().key()));
        assertThatThrownBy(() -> bobGuessing.receiver().decrypt(after, NO_METADATA))
                .isInstanceOf(SFrameException.AuthFailure.class);
    }

    @Test
    void leavesCloseTogetherCostOneRotationAndALeaveDuringTheGraceDelayRotatesAgain() {
        alice.start(List.of("bob", "carol", "dave", "erin"));
        alice.memberLeft("bob");
        clock.advanceMillis(1_000);
        alice.memberLeft("carol");                                    // keeps the first deadline
        assertThat(alice.nextDeadlineMillis()).isEqualTo(clock.currentTimeMillis() + 2_000);
        clock.advanceMillis(2_000);
        KeyActions first = alice.poll();
        assertThat(first.deliveries().get(0).recipients()).containsExactlyInAnyOrder("dave", "erin");
        assertThat(first.deliveries().get(0).keys().get(0).index()).isEqualTo(1);

        clock.advanceMillis(1_000);
        alice.memberLeft("dave");                                     // dave holds pending key 1
        clock.advanceMillis(3_000);
        KeyActions second = alice.poll();
        assertThat(second.switched()).isFalse();
        MediaKey two = second.deliveries().get(0).keys().get(0);
        assertThat(two.index()).isEqualTo(2);
        assertThat(second.deliveries().get(0).recipients()).containsExactly("erin");
        clock.advanceMillis(5_000);
        KeyActions used = alice.poll();
        assertThat(used.switched()).isTrue();
        assertThat(used.encryptWith()).isEqualTo(two);               // key 1, known to dave, is never used
    }

    @Test
    void joinersGetTheCurrentKeyWithThrottledResends() {
        KeyActions start = alice.start(List.of("bob"));
        alice.memberJoined("carol");
        KeyActions first = alice.poll();
        assertThat(first.deliveries()).containsExactly(new KeyDelivery(List.of(start.encryptWith()), Set.of("carol")));

        clock.advanceMillis(200);
        alice.memberJoined("dave");
        assertThat(alice.poll().deliveries()).isEmpty();
        clock.advanceMillis(300);
        alice.memberJoined("erin");
        alice.memberJoined("bob");                                    // already a member: nothing to send
        assertThat(alice.poll().deliveries()).isEmpty();
        assertThat(alice.nextDeadlineMillis()).isEqualTo(clock.currentTimeMillis() + 500);
        clock.advanceMillis(500);
        assertThat(alice.poll().deliveries())
                .containsExactly(new KeyDelivery(List.of(start.encryptWith()), Set.of("dave", "erin")));
        clock.advanceMillis(10_000);
        assertThat(alice.poll().deliveries()).isEmpty();
    }

    @Test
    void joinerDuringTheGraceDelayGetsCurrentAndPendingKeys() {
        KeyActions start = alice.start(List.of("bob", "carol"));
        alice.memberLeft("bob");
        clock.advanceMillis(3_000);
        MediaKey pending = alice.poll().deliveries().get(0).keys().get(0);
        clock.advanceMillis(2_000);
        alice.memberJoined("dave");
        KeyActions resend = alice.poll();
        assertThat(resend.deliveries())
                .containsExactly(new KeyDelivery(List.of(start.encryptWith(), pending), Set.of("dave")));
    }

    @Test
    void joinerWhoLeavesBeforeTheResendGetsNothing() {
        alice.start(List.of("bob"));
        alice.poll();
        alice.memberJoined("carol");
        alice.poll();                                                 // carol served, throttle starts
        alice.memberJoined("dave");
        alice.memberLeft("dave");
        clock.advanceMillis(1_000);
        assertThat(alice.poll().deliveries()).isEmpty();
    }

    @Test
    void rotatesPeriodicallyAndIndexesWrapAt256() {
        alice.start(List.of("bob"));
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            clock.advanceMillis(KeyTimings.ROTATION_PERIOD_MILLIS);
            KeyActions made = alice.poll();
            assertThat(made.deliveries()).hasSize(1);
            assertThat(alice.nextDeadlineMillis()).isEqualTo(clock.currentTimeMillis() + KeyTimings.USE_KEY_DELAY_MILLIS);
            clock.advanceMillis(KeyTimings.USE_KEY_DELAY_MILLIS);
            KeyActions used = alice.poll();
            assertThat(used.switched()).isTrue();
            indexes.add(used.encryptWith().index());
        }
        assertThat(indexes.subList(0, 3)).containsExactly(1, 2, 3);
        assertThat(indexes.subList(253, 258)).containsExactly(254, 255, 0, 1, 2);
    }

    @Test
    void unstartedManagerRefusesWork() {
        assertThatThrownBy(() -> alice.poll()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> alice.memberJoined("x")).isInstanceOf(IllegalStateException.class);
    }

    private static void deliver(KeyActions actions, Map<String, RemoteKeyring> rings) {
        for (KeyDelivery d : actions.deliveries()) {
            for (String r : d.recipients()) {
                d.keys().forEach(rings.get(r)::accept);
            }
        }
    }
}
