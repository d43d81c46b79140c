package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * Clients behind a hostile network: two headless Chromium pages whose ICE may only use a TURN relay
 * ({@code iceTransportPolicy: "relay"}) reach the SFU through coturn over TCP, with credentials Conclave minted after
 * checking each user's Matrix OpenID token and conference membership; they and a direct libwebrtc peer decode each
 * other. The credentials endpoint refuses what it must (no token, a bad token, a non-member).
 */
class TurnRelayTest {
    private static final long DURATION_MS = 12_000;
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void relayOnlyChromiumJoinsThroughCoturnWithConclavesCredentialsAndDecodesTheOthers() throws Exception {
        try (Coturn coturn = Coturn.start(dir);
                OpsRig rig = OpsRig.start(dir, """
                        turn:
                          uris: ["%s"]
                          shared_secret: %s
                          credential_lifetime_ms: 3600000
                        """.formatted(coturn.uri(), coturn.secret))) {
            ScriptedClient alice = rig.hs.client("alice");
            ScriptedClient bob = rig.hs.client("bob");
            ScriptedClient carol = rig.hs.client("carol");
            ScriptedClient mallory = rig.hs.client("mallory");
            String room = rig.conferenceRoom(alice, bob, carol);
            String turnApi = rig.server.front().url() + "/api/v1/turn";

            credentialsAreForMembersOnly(rig, turnApi, room, coturn, alice, mallory);

            rig.bridge.participant("chrome-1", alice);
            rig.bridge.participant("chrome-2", bob);
            rig.bridge.participant("wrtc", carol);
            PeerReport chromeReport;
            PeerReport wrtcReport;
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                            .signal(rig.signal).conference(room).participant("chrome").durationMs(DURATION_MS)
                            .video().audio()
                            .arg("--page-query", "1:" + relayQuery(rig, turnApi, alice))
                            .arg("--page-query", "2:" + relayQuery(rig, turnApi, bob)).command(), TestPaths.jsDir());
                    PeerProcess wrtc = PeerProcess.start("wrtc", PeerCommand.wrtc().signal(rig.signal)
                            .conference(room).participant("wrtc").durationMs(DURATION_MS).video().audio().command(),
                            TestPaths.jsDir())) {
                chromeReport = chromium.awaitSuccess(PEER_TIMEOUT);
                wrtcReport = wrtc.awaitSuccess(PEER_TIMEOUT);
            }
            for (PeerStats p : Stats.peers(chromeReport, wrtcReport)) {
                String why = Stats.describe(p);
                assertThat(p.connectionState()).as(why).isEqualTo("connected");
                assertThat(p.error()).as(why).isNull();
                List<InboundRtp> video = Stats.decodingVideo(p, 20);
                assertThat(video).as("video decoding at %s: %s", p.participant(), why).hasSize(2);
                assertThat(Stats.receivingAudio(p, 50)).as("audio at %s: %s", p.participant(), why).hasSize(2);
            }
            // coturn accepted allocations made with Conclave's credentials for both relayed users.
            String log = coturn.output();
            assertThat(log).contains(":" + alice.userId() + ">").contains(":" + bob.userId() + ">")
                    .contains("ALLOCATE processed, success");
        }
    }

    private static String relayQuery(OpsRig rig, String turnApi, ScriptedClient user) {
        String token = rig.hs.publicEndpoints().accessToken(user.userId());
        return "turnApi=" + enc(turnApi) + "&hsUrl=" + enc(rig.hs.url()) + "&hsToken=" + enc(token) + "&userId="
                + enc(user.userId());
    }

    private static void credentialsAreForMembersOnly(OpsRig rig, String turnApi, String room, Coturn coturn,
            ScriptedClient member, ScriptedClient stranger) throws Exception {
        assertThat(rig.send("POST", turnApi, null, "{}").statusCode()).isEqualTo(400);
        JsonObject bogus = new JsonObject().put("conference_id", room).put("openid_token", new JsonObject()
                .put("access_token", "not-a-token").put("matrix_server_name", OpsRig.SERVER_NAME));
        HttpResponse<String> badToken = rig.send("POST", turnApi, null, bogus.encode());
        assertThat(badToken.statusCode()).as(badToken.body()).isEqualTo(401);

        HttpResponse<String> outsider = rig.send("POST", turnApi, null, request(rig, room, stranger).encode());
        assertThat(outsider.statusCode()).as(outsider.body()).isEqualTo(403);
        assertThat(new JsonObject(outsider.body()).getString("error")).contains("not a member");

        HttpResponse<String> ok = rig.send("POST", turnApi, null, request(rig, room, member).encode());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonObject creds = new JsonObject(ok.body());
        long expiry = Long.parseLong(creds.getString("username").split(":", 2)[0]);
        assertThat(creds.getString("username")).endsWith(":" + member.userId());
        assertThat(expiry - System.currentTimeMillis() / 1000).isBetween(3590L, 3600L);
        assertThat(creds.getLong("ttl")).isEqualTo(3600);
        assertThat(creds.getJsonArray("uris").getList()).containsExactly(coturn.uri());
        // The REST scheme coturn checks: base64(HMAC-SHA1(secret, username)).
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(coturn.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(creds.getString("password")).isEqualTo(Base64.getEncoder().encodeToString(
                mac.doFinal(creds.getString("username").getBytes(StandardCharsets.UTF_8))));
    }

    /** What a client sends: its OpenID token, freshly asked of its homeserver over HTTP. */
    private static JsonObject request(OpsRig rig, String room, ScriptedClient user) throws Exception {
        String token = rig.hs.publicEndpoints().accessToken(user.userId());
        HttpResponse<String> openid = rig.send("POST", rig.hs.url() + "/_matrix/client/v3/user/" + enc(user.userId())
                + "/openid/request_token", token, "{}");
        assertThat(openid.statusCode()).as(openid.body()).isEqualTo(200);
        return new JsonObject().put("conference_id", room).put("openid_token", new JsonObject(openid.body()));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
