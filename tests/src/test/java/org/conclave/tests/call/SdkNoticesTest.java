package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.conclave.tests.call.SdkCaller.Media;
import org.conclave.tests.call.SdkCaller.Transport;
import org.conclave.tests.homeserver.RoomOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, must-show 7, read by matrix-js-sdk itself: what the person's own client shows when the bot cannot do its
 * part. A conference in a room where the bot has no power to send state (invited at level 0, state_default 50): the
 * SDK call is answered and connects, and the room shows one notice naming the level the bot needs. A call placed
 * from an encrypted DM (as Element creates DMs; the SDK's Rust crypto encrypts the m.call.invite): no answer and no
 * endpoint, and the DM shows one notice saying how to call instead, however many encrypted events follow.
 * BotNoticesTest shows the same with scripted clients.
 */
class SdkNoticesTest {
    @TempDir
    Path dir;

    @Test
    void theSdkShowsOneNoticeForMissingPowerAndOneForAnEncryptedDm() throws Exception {
        try (SdkConference conf = SdkConference.start(dir, "owner")) {
            CallRig rig = conf.rig;
            String noPower = conf.owner.createRoom(RoomOptions.privateRoom("No power").inviting(rig.bot()));
            rig.awaitMembership(noPower, rig.bot(), "join");
            conf.owner.invite(noPower, rig.user("alice").userId());
            rig.user("alice").join(noPower);
            SdkCaller alice = conf.join("alice", Transport.ROOM);
            SdkCaller bob = conf.join("bob", Transport.ENCRYPTED_DM, true);

            alice.place(noPower, Media.SMALL);
            alice.awaitStatus(s -> s.getString("state").equals("connected"), "connected", CallRig.TIMEOUT);
            List<JsonObject> inRoom = alice.awaitBotMessage(noPower, b -> b.contains("power level 50"),
                    "the notice about the power level", CallRig.TIMEOUT);

            bob.place(conf.room, Media.SMALL);
            List<JsonObject> inDm = bob.awaitBotMessage(bob.dmRoom(), b -> b.contains("cannot read encrypted"),
                    "the notice about the encrypted DM", CallRig.TIMEOUT);
            // Bob's invite reached the bot (encrypted) and was left unanswered; his hangup (more encrypted) too.
            awaitEncryptedFrom(rig, bob, 1);
            rig.hs.pusher().awaitIdle(CallRig.TIMEOUT);
            long before = awaitEncryptedFrom(rig, bob, 1);
            bob.hangup();
            awaitEncryptedFrom(rig, bob, before + 1);
            rig.hs.pusher().awaitIdle(CallRig.TIMEOUT);

            assertThat(inRoom).as("one notice").singleElement().extracting(e -> e.getString("body")).asString()
                    .contains("/op " + rig.bot() + " 50");
            assertThat(alice.awaitBotMessage(noPower, b -> true, "the notice", CallRig.TIMEOUT))
                    .as("told once, however many calls").hasSize(1);
            assertThat(inDm).singleElement().extracting(e -> e.getString("body")).asString().contains("Conclave Web");
            assertThat(bob.awaitBotMessage(bob.dmRoom(), b -> true, "the notice", CallRig.TIMEOUT))
                    .as("told once, not per encrypted event").hasSize(1);
            JsonObject bobs = bob.status();
            assertThat(bobs.getJsonArray("voip")).as("nothing from the bot to %s: %s", bob, bobs.encode()).isEmpty();
            assertThat(rig.endpointCount()).as("alice's endpoint only").isEqualTo(1);

            alice.hangup();
            rig.awaitEndpointCount(0, CallRig.TIMEOUT);
        }
    }

    /** Waits for {@code count} or more encrypted events of the caller in its DM at the homeserver; returns how many. */
    private static long awaitEncryptedFrom(CallRig rig, SdkCaller caller, long count) throws Exception {
        long deadline = System.nanoTime() + CallRig.TIMEOUT.toNanos();
        while (true) {
            long n = rig.hs.timeline(caller.dmRoom()).stream().filter(e -> e.getString("type")
                    .equals("m.room.encrypted") && caller.userId.equals(e.getString("sender"))).count();
            if (n >= count) return n;
            if (System.nanoTime() > deadline) throw new AssertionError(count + " encrypted events from " + caller);
            Thread.sleep(CallRig.POLL.toMillis());
        }
    }
}
