package org.conclave.appservice.front;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.config.TurnConfig;
import org.conclave.appservice.intent.Intent;
import org.conclave.appservice.intent.MatrixHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/turn}: TURN credentials for a member of a conference. The caller proves who it is with a Matrix
 * OpenID token (its client asks its homeserver: {@code POST /_matrix/client/v3/user/{userId}/openid/request_token});
 * Conclave checks the token with the homeserver ({@link OpenIdVerifier}) and that the user has joined the conference
 * room (as the appservice's bot sees the room), then mints credentials ({@link TurnCredentials}). Why OpenID: a
 * client can prove its Matrix identity to a third party without handing over its access token (docs/operators.md).
 *
 * <pre>
 * request  {"conference_id": "!room:example.org",
 *           "openid_token": {"access_token": "...", "token_type": "Bearer", "matrix_server_name": "example.org",
 *                            "expires_in": 3600}}
 * answer   {"username": "1700003600:@alice:example.org", "password": "...", "uris": ["turn:..."], "ttl": 86400}
 * </pre>
 */
public final class TurnApi {
    private static final Logger LOG = LoggerFactory.getLogger(TurnApi.class);
    public static final String PATH = "/api/v1/turn";
    private final TurnConfig turn;
    private final CallConfig calls;
    private final OpenIdVerifier openId;
    private final Intent bot;
    private final Clock clock;
    private final TurnRefusals refusals;
    private final AtomicInteger inProgress = new AtomicInteger();

    /** @param refusals counts requests refused by {@code turn.max_concurrent_requests} (the listener's, shared) */
    public TurnApi(TurnConfig turn, CallConfig calls, OpenIdVerifier openId, Intent bot, Clock clock,
            TurnRefusals refusals) {
        this.turn = turn;
        this.refusals = refusals;
        this.calls = calls;
        this.openId = openId;
        this.bot = bot;
        this.clock = clock;
    }

    void handle(RoutingContext ctx) {
        if (!turn.enabled()) {
            FrontServer.error(ctx, 404, "M_NOT_FOUND", "This Conclave has no TURN server configured (turn.uris).");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        String conference = body == null ? null : body.getValue("conference_id") instanceof String s ? s : null;
        JsonObject token = body == null ? null : body.getValue("openid_token") instanceof JsonObject t ? t : null;
        String accessToken = token == null ? null : token.getValue("access_token") instanceof String s ? s : null;
        String server = token == null ? null : token.getValue("matrix_server_name") instanceof String s ? s : null;
        if (conference == null || accessToken == null || server == null || accessToken.isEmpty()) {
            FrontServer.error(ctx, 400, "M_BAD_JSON", "Send {\"conference_id\": \"!room:server\", \"openid_token\":"
                    + " <the answer of /_matrix/client/v3/user/{userId}/openid/request_token>}.");
            return;
        }
        // Each request waits on two homeserver requests: more at once than turn.max_concurrent_requests get 429.
        if (inProgress.incrementAndGet() > turn.maxConcurrentRequests()) {
            inProgress.decrementAndGet();
            refusals.countTooMany();
            FrontServer.error(ctx, 429, "M_LIMIT_EXCEEDED", "Too many TURN requests at once (this server's"
                    + " turn.max_concurrent_requests is " + turn.maxConcurrentRequests() + "); try again shortly.");
            return;
        }
        openId.userOf(accessToken, server)
                .compose(userId -> member(userId, conference).map(userId))
                .onComplete(ar -> {
                    inProgress.decrementAndGet();
                    if (ar.succeeded()) {
                        long now = clock.millis() / 1000;
                        TurnCredentials c = TurnCredentials.mint(turn.sharedSecret(), ar.result(), now,
                                turn.credentialLifetimeMs() / 1000, turn.uris());
                        LOG.info("TURN credentials for {} in conference {} (valid {} s)", ar.result(), conference,
                                c.ttlSeconds());
                        FrontServer.send(ctx, 200, new JsonObject().put("username", c.username())
                                .put("password", c.password()).put("uris", new JsonArray(c.uris()))
                                .put("ttl", c.ttlSeconds()));
                    } else {
                        refuse(ctx, conference, ar.cause());
                    }
                });
    }

    /** Succeeds when {@code userId} has joined {@code room} and its server may use Conclave; else a Refusal. */
    private Future<Void> member(String userId, String room) {
        String server = userId.substring(userId.indexOf(':') + 1);
        if (!calls.allows(server)) {
            return Future.failedFuture(new Refusal("Users of " + server + " may not use this Conclave"
                    + " (calls.allowed_servers)."));
        }
        return bot.stateEvent(room, "m.room.member", userId)
                .recover(x -> Future.failedFuture(x instanceof MatrixHttpException m && m.status() / 100 == 4
                        ? new Refusal("Conclave is not in the conference room " + room + ", so it cannot check who"
                                + " belongs to it.")
                        : x))
                .compose(member -> member != null && "join".equals(member.getString("membership"))
                        ? Future.succeededFuture()
                        : Future.failedFuture(new Refusal("You are not a member of the conference room " + room
                                + ": join it first.")));
    }

    private static void refuse(RoutingContext ctx, String conference, Throwable x) {
        if (x instanceof OpenIdVerifier.InvalidToken) {
            FrontServer.error(ctx, 401, "M_UNKNOWN_TOKEN", "Your OpenID token was not accepted: " + x.getMessage()
                    + ". Request a new one from your homeserver.");
        } else if (x instanceof Refusal) {
            FrontServer.error(ctx, 403, "M_FORBIDDEN", x.getMessage());
        } else {
            LOG.warn("TURN credentials for conference {} could not be checked: {}", conference, x.toString());
            FrontServer.error(ctx, 502, "M_UNKNOWN", "Conclave could not reach the homeserver to check your"
                    + " request; try again shortly.");
        }
    }

    private static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
