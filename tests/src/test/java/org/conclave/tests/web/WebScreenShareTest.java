package org.conclave.tests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conclave Web's screen share started while someone else is in the call: the other decodes it (end-to-end encrypted
 * like the camera), and Bob's camera still reaches Alice. Unlike matrix-js-sdk's own pages (SdkConferenceTest,
 * screenShareStartedMidCallReachesTheOthers), this passed also against the SFU before it took tracks on its own
 * m-lines, so Chromium did not put this share on an SFU m-line: it guards Conclave Web's path, not the shared m-line.
 * The share is found as Alice's second stream, not by its purpose: Conclave Web's pages see it as {@code m.usermedia}
 * (also when Alice shares before Bob joins, so not because of the shared m-line), unlike matrix-js-sdk pages calling
 * over room events (SdkConferenceTest), a separate bug.
 */
class WebScreenShareTest {
    private static final long FRAMES = 10;

    @TempDir
    Path dir;

    @Test
    void aScreenShareStartedMidCallIsDecodedByTheOther() throws Exception {
        try (WebRig rig = WebRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            String room = rig.encryptedRoom("Demo", alice, bob);
            for (String p : List.of("alice", "bob")) rig.signIn(p, p);
            for (String p : List.of("alice", "bob")) rig.join(p, room);
            Map<String, PageReport> before = rig.awaitAllDecoding(List.of("alice", "bob"));
            long bobCamera = before.get("alice").received(bob.userId(), "video")[1];

            rig.pages.click("alice", "#share");
            long deadline = System.nanoTime() + WebRig.MEDIA_TIMEOUT.toNanos();
            PageReport atBob = rig.report("bob");
            while (atBob.secondStreamFramesFrom(alice.userId()) < FRAMES) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("bob did not decode alice's screen share within " + WebRig.MEDIA_TIMEOUT
                            + ": " + atBob.json().encode());
                }
                LockSupport.parkNanos(500_000_000L);
                atBob = rig.report("bob");
            }
            PageReport atAlice = rig.report("alice");
            while (atAlice.received(bob.userId(), "video")[1] < bobCamera + FRAMES) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("alice stopped decoding bob's camera: " + atAlice.json().encode());
                }
                LockSupport.parkNanos(500_000_000L);
                atAlice = rig.report("alice");
            }
            assertThat(atBob.received(alice.userId(), "video")[1]).as("alice's camera at bob").isPositive();
        }
    }
}
