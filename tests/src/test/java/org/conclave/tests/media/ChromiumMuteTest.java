package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.control.Role;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerReport;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.api.Test;

/**
 * Issue #6 through a browser: a Java host mutes a headless Chromium participant (which has its data channels open,
 * datachannel-check.js). Chromium keeps sending (the SFU counts the dropped packets), a Java listener's received
 * audio stops growing; the page got please_mute and, after unmute, may_unmute; audio flows again.
 */
class ChromiumMuteTest {
    static final long DURATION_MS = 30_000;

    @Test
    void hostMutesAChromiumParticipant() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "cmute")) {
            ControlRig.Party host = rig.join("host", Role.HOST, false);
            ControlRig.Party listener = rig.join("listener", Role.GUEST, false);
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(1).signal(f.signal)
                    .conference("cmute").participant("chrome").durationMs(DURATION_MS).audio().arg("--datachannel")
                    .command(), TestPaths.jsDir())) {
                AllocatedEndpoint chrome = f.signal.awaitEndpoint("chrome-1", Duration.ofSeconds(30)).orElseThrow();
                long start = listener.peer().audioPacketsReceived();
                assertThat(JavaRig.await(() -> listener.peer().audioPacketsReceived() - start > 50,
                        Duration.ofSeconds(30))).as("Chromium's audio reaches the listener").isTrue();
                host.dc().awaitRoster(r -> r.containsKey(chrome.endpointId()), ControlRig.TIMEOUT);

                long before = listener.peer().audioPacketsReceived();
                long dropsBefore = f.sfu.packetStats().heldOrMutedDrops();
                host.dc().send("org.conclave.mute", java.util.Map.of("endpoint_id", chrome.endpointId()));
                host.dc().awaitRoster(r -> r.get(chrome.endpointId()).path("muted").asBoolean(), ControlRig.TIMEOUT);
                ControlRig.Silence s = ControlRig.silence(() -> listener.peer().audioPacketsReceived(),
                        () -> f.sfu.packetStats().heldOrMutedDrops());
                System.out.printf("ChromiumMuteTest: listener had %d Chromium audio packets before the mute, %d when "
                        + "settled, +%d over %d ms while the SFU dropped %d of Chromium's (%d in all)%n", before,
                        s.before(), s.grew(), ControlRig.QUIET_WINDOW.toMillis(), s.sentDuring(),
                        f.sfu.packetStats().heldOrMutedDrops() - dropsBefore);
                assertThat(s.sentDuring()).as("Chromium kept sending into the mute").isGreaterThan(30);
                assertThat(s.grew()).as("Chromium audio at the listener while muted").isZero();

                host.dc().send("org.conclave.unmute", java.util.Map.of("endpoint_id", chrome.endpointId()));
                long unmuted = listener.peer().audioPacketsReceived();
                assertThat(JavaRig.await(() -> listener.peer().audioPacketsReceived() - unmuted > 25,
                        ControlRig.TIMEOUT)).as("audio flows again after unmute").isTrue();

                PeerReport report = chromium.awaitSuccess(Duration.ofSeconds(90));
                PeerStats page = report.peers().get(0);
                List<String> told = new ArrayList<>();
                for (JsonNode ch : page.datachannel().path("channels")) ch.path("other").forEach(o -> told.add(o.asText()));
                System.out.printf("ChromiumMuteTest: the page got %s%n", told.stream()
                        .map(t -> t.replaceAll(".*?\"type\":\"([^\"]+)\".*", "$1")).toList());
                assertThat(told).anyMatch(t -> t.contains("org.conclave.please_mute") && t.contains(host.id()));
                assertThat(told).anyMatch(t -> t.contains("org.conclave.may_unmute"));
                assertThat(told).anyMatch(t -> t.contains("org.conclave.roster"));
            }
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }
}
