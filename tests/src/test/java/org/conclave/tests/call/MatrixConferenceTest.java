package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerReport;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.Stats;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's end-to-end test: three Matrix users each call the bot in their DM for the same conference room, with
 * real WebRTC stacks (two headless Chromium pages and libwebrtc in Node) behind their calls; everyone decodes
 * everyone else, the conference's call state starts and terminates, and hanging up frees every SFU endpoint.
 */
class MatrixConferenceTest {
    private static final long DURATION_MS = 12_000;
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void threeMatrixUsersCallTheConferenceAndDecodeEachOther() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            ScriptedClient carol = rig.user("carol");
            String room = rig.conferenceRoom(alice, bob, carol);
            rig.bridge.participant("chrome-1", alice);
            rig.bridge.participant("chrome-2", bob);
            rig.bridge.participant("wrtc", carol);

            JsonObject started;
            PeerReport chromeReport;
            PeerReport wrtcReport;
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                            .signal(rig.signal).conference(room).participant("chrome")
                            .durationMs(DURATION_MS).video().audio().command(), TestPaths.jsDir());
                    PeerProcess wrtc = PeerProcess.start("wrtc", PeerCommand.wrtc()
                            .signal(rig.signal).conference(room).participant("wrtc")
                            .durationMs(DURATION_MS).video().audio().command(), TestPaths.jsDir())) {
                rig.awaitEndpointCount(3, PEER_TIMEOUT);
                started = CallState.awaitStarted(rig, room);
                chromeReport = chromium.awaitSuccess(PEER_TIMEOUT);
                wrtcReport = wrtc.awaitSuccess(PEER_TIMEOUT);
            }

            List<PeerStats> peers = Stats.peers(chromeReport, wrtcReport);
            assertThat(peers).extracting(PeerStats::participant).containsExactlyInAnyOrder("chrome-1", "chrome-2",
                    "wrtc");
            for (PeerStats p : peers) {
                String why = Stats.describe(p);
                assertThat(p.connectionState()).as(why).isEqualTo("connected");
                List<InboundRtp> video = Stats.decodingVideo(p, 20);
                assertThat(video).as("video decoding at %s: %s", p.participant(), why).hasSize(2);
                assertThat(Stats.receivingAudio(p, 50)).as("audio at %s: %s", p.participant(), why).hasSize(2);
                assertThat(video.stream().map(InboundRtp::streamId).distinct()).as(why).hasSize(2);
            }

            List<MatrixCall> calls = rig.bridge.calls();
            assertThat(calls).extracting(c -> c.caller().userId())
                    .containsExactlyInAnyOrder(alice.userId(), bob.userId(), carol.userId());
            for (MatrixCall call : calls) assertSignalledOverMatrix(rig, call);

            rig.awaitEndpointCount(0, CallRig.TIMEOUT);
            CallState.awaitTerminated(rig, room, started);
            assertThat(rig.hs.timeline(room)).filteredOn(e -> e.getString("type").equals(CallContent.CALL_STATE))
                    .as("one conference session: started once, terminated once").hasSize(2);
            assertThat(rig.server.sfu().packetStats().internalErrors()).isZero();
        }
    }

    /** The call went the protocol's way in the caller's DM, and the caller ended it. */
    private static void assertSignalledOverMatrix(CallRig rig, MatrixCall call) {
        List<JsonObject> fromBot = call.botEvents();
        String who = call.caller().userId() + ": " + fromBot.stream().map(e -> e.getString("type")).toList();
        List<JsonObject> answers = ofType(fromBot, CallContent.ANSWER);
        assertThat(answers).as(who).hasSize(1);
        JsonObject answer = answers.get(0).getJsonObject("content");
        assertThat(answer.getString("version")).isEqualTo("1");
        assertThat(answer.getString("party_id")).isNotBlank().isNotEqualTo(call.partyId());
        assertThat(answer.getJsonObject("answer").getString("type")).isEqualTo("answer");

        List<JsonObject> candidates = ofType(fromBot, CallContent.CANDIDATES);
        assertThat(candidates).as(who).hasSize(1);
        JsonArray list = candidates.get(0).getJsonObject("content").getJsonArray("candidates");
        assertThat(list.getJsonObject(0).getString("candidate")).as(who).startsWith("candidate:");
        assertThat(list.getJsonObject(list.size() - 1).getString("candidate")).as("end of candidates").isEmpty();

        // Sources joined after each answer: the SFU re-offered over Matrix, and the caller's answers went back.
        assertThat(ofType(fromBot, CallContent.NEGOTIATE)).as(who)
                .isNotEmpty()
                .allMatch(e -> e.getJsonObject("content").getJsonObject("description").getString("type")
                        .equals("offer"));
        assertThat(rig.hs.timeline(call.dmRoom())).as(who)
                .anyMatch(e -> e.getString("sender").equals(call.caller().userId())
                        && e.getString("type").equals(CallContent.NEGOTIATE)
                        && call.callId().equals(e.getJsonObject("content").getString("call_id"))
                        && e.getJsonObject("content").getJsonObject("description").getString("type").equals("answer"));

        assertThat(ofType(fromBot, CallContent.HANGUP)).as(who).isEmpty();
        assertThat(call.endedBy()).as(who).startsWith("caller");
    }

    private static List<JsonObject> ofType(List<JsonObject> events, String type) {
        return events.stream().filter(e -> e.getString("type").equals(type)).toList();
    }
}
