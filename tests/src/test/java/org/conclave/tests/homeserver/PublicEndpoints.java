package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The homeserver double's endpoints that are not the appservice's client-server API, as Synapse serves them: the
 * versions a client checks first, the server's signing keys (which name the server), and OpenID: a user with a
 * client access token ({@link #accessToken}) asks {@code POST /_matrix/client/v3/user/{userId}/openid/request_token},
 * and a third party checks the OpenID token with {@code GET /_matrix/federation/v1/openid/userinfo}. Browsers call
 * the OpenID request from pages of other origins, so these answer CORS like Synapse.
 */
public final class PublicEndpoints {
    static final long OPENID_LIFETIME_SECONDS = 3600;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HomeserverDouble hs;
    /** client access token → user */
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    /** OpenID token → user */
    private final Map<String, String> openIdTokens = new ConcurrentHashMap<>();

    PublicEndpoints(HomeserverDouble hs) {
        this.hs = hs;
    }

    /** Mounts the routes before the double's catch-all dispatch. */
    void mount(Router router) {
        router.route("/_matrix/*").handler(ctx -> {
            ctx.response().putHeader("Access-Control-Allow-Origin", "*");
            if (ctx.request().method().name().equals("OPTIONS")) {
                ctx.response().putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
                        .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
                        .setStatusCode(204).end();
                return;
            }
            ctx.next();
        });
        router.get("/_matrix/key/v2/server").handler(ctx -> send(ctx, 200, new JsonObject()
                .put("server_name", hs.serverName())
                .put("verify_keys", new JsonObject().put("ed25519:double",
                        new JsonObject().put("key", "l8Hft5qXKn1vfHrg3p4+W8gELQVo8N13JkluMfmn2sQ")))
                .put("old_verify_keys", new JsonObject())
                .put("valid_until_ts", System.currentTimeMillis() + 3_600_000)));
        router.post("/_matrix/client/v3/user/:userId/openid/request_token").handler(this::requestToken);
        router.get("/_matrix/federation/v1/openid/userinfo").handler(this::userInfo);
    }

    /** A client access token of {@code userId}, as its login would give it. */
    public String accessToken(String userId) {
        if (!hs.isRegistered(userId)) throw new IllegalArgumentException(userId + " is not a user of the double");
        String token = "syt_" + random();
        accessTokens.put(token, userId);
        return token;
    }

    private void requestToken(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
        // Any access token of the user, as Synapse: one made here for a test, or a real login's.
        String user = token == null ? null : accessTokens.getOrDefault(token, hs.userOfAccessToken(token));
        if (user == null) {
            send(ctx, 401, error("M_UNKNOWN_TOKEN", "Unrecognised access token"));
            return;
        }
        if (!user.equals(ctx.pathParam("userId"))) {
            send(ctx, 403, error("M_FORBIDDEN", "Cannot request tokens for other users."));
            return;
        }
        String openId = random();
        openIdTokens.put(openId, user);
        send(ctx, 200, new JsonObject().put("access_token", openId).put("token_type", "Bearer")
                .put("matrix_server_name", hs.serverName()).put("expires_in", OPENID_LIFETIME_SECONDS));
    }

    private void userInfo(RoutingContext ctx) {
        String user = openIdTokens.get(String.valueOf(ctx.request().getParam("access_token")));
        if (user == null) {
            send(ctx, 401, error("M_UNKNOWN_TOKEN", "Access Token unknown or expired"));
            return;
        }
        send(ctx, 200, new JsonObject().put("sub", user));
    }

    private static JsonObject error(String errcode, String error) {
        return new JsonObject().put("errcode", errcode).put("error", error);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static String random() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
