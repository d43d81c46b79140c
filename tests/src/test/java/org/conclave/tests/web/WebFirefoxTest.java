package org.conclave.tests.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conclave.tests.homeserver.ScriptedClient;
import org.conclave.tests.ops.Coturn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13, must-show 5: Firefox (Debian's firefox-esr, driven over WebDriver BiDi) joins the same end-to-end-encrypted
 * conference as Chromium through Conclave Web: audio and video both ways, SFrame in Firefox's RTCRtpScriptTransform,
 * keys over Olm to-device, and both show the same check code. Firefox reaches the SFU through coturn on loopback with
 * credentials Conclave Web gets from Conclave ({@code POST /api/v1/turn}): Firefox gathers no loopback candidates.
 */
class WebFirefoxTest {
    private static final Logger log = LoggerFactory.getLogger(WebFirefoxTest.class);

    @TempDir
    Path dir;

    @Test
    void firefoxAndChromiumDecodeEachOtherEndToEndEncrypted() throws Exception {
        long started = System.nanoTime();
        try (Coturn turn = Coturn.start(dir); WebRig rig = WebRig.start(dir, turn)) {
            ScriptedClient alice = rig.user("alice");
            String room = rig.encryptedRoom("Release planning", alice, rig.user("erin"));
            rig.signIn("alice", "alice");
            rig.signIn("erin", "erin", "firefox");
            rig.join("alice", room);
            rig.join("erin", room);

            Map<String, PageReport> reports = rig.awaitAllDecoding(List.of("alice", "erin"));
            // The pages refresh their E2EE counters every few seconds: wait for both to have counted what they did.
            long deadline = System.nanoTime() + WebRig.MEDIA_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && reports.values().stream().anyMatch(r -> {
                JsonObject c = r.json().getJsonObject("e2ee");
                return c == null || c.getLong("decrypted", 0L) <= WebRig.MIN_FRAMES
                        || c.getLong("encrypted", 0L) <= WebRig.MIN_FRAMES;
            })) {
                java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L);
                for (String p : List.of("alice", "erin")) reports.put(p, rig.report(p));
            }
            PageReport erin = reports.get("erin");
            JsonObject e2ee = erin.json().getJsonObject("e2ee");
            assertThat(e2ee.getLong("encrypted")).as("frames Firefox encrypted").isGreaterThan(WebRig.MIN_FRAMES);
            assertThat(e2ee.getLong("decrypted")).as("frames Firefox decrypted").isGreaterThan(WebRig.MIN_FRAMES);
            JsonObject chromium = reports.get("alice").json().getJsonObject("e2ee");
            assertThat(chromium.getLong("decrypted")).as("frames Chromium decrypted").isGreaterThan(WebRig.MIN_FRAMES);
            assertThat(erin.checkCode()).isEqualTo(reports.get("alice").checkCode());
            rig.pages.screenshot("erin", WebConferenceTest.SHOTS.resolve("firefox-call.png"));
            log.info("Firefox and Chromium decode each other (Firefox decoded {} video frames of alice, Chromium {} of"
                    + " erin); check code {}", erin.decodedFrom().get("@alice:" + WebRig.SERVER_NAME)[0],
                    reports.get("alice").decodedFrom().get("@erin:" + WebRig.SERVER_NAME)[0], erin.checkCode());
        }
        log.info("WebFirefoxTest took {} s", (System.nanoTime() - started) / 1_000_000_000L);
    }
}
