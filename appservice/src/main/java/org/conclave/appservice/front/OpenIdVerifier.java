package org.conclave.appservice.front;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Who holds a Matrix OpenID token: asks the homeserver that issued it ({@code GET
 * /_matrix/federation/v1/openid/userinfo?access_token=...}, the server-server API's answer to exactly this question,
 * as LiveKit's lk-jwt-service does). Only tokens of our own homeserver are accepted: it is the one Conclave is
 * configured to trust ({@code appservice.homeserver_url}), and looking up other servers would need federation
 * discovery and would let anyone make Conclave call any host.
 */
public final class OpenIdVerifier implements AutoCloseable {
    /** The token was refused or names no user: the client should get a new one. */
    public static final class InvalidToken extends RuntimeException {
        InvalidToken(String message) {
            super(message, null, false, false);
        }
    }

    private final WebClient web;
    private final String homeserverUrl;
    private final String serverName;
    private final long timeoutMs;

    public OpenIdVerifier(Vertx vertx, String homeserverUrl, String serverName, long timeoutMs) {
        this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent("Conclave")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)));
        this.homeserverUrl = homeserverUrl.endsWith("/") ? homeserverUrl.substring(0, homeserverUrl.length() - 1)
                : homeserverUrl;
        this.serverName = serverName;
        this.timeoutMs = timeoutMs;
    }

    /**
     * The user id the token belongs to; fails with {@link InvalidToken} when the homeserver does not know it (or it
     * comes from another server), with another exception when the homeserver could not be asked.
     */
    public Future<String> userOf(String accessToken, String matrixServerName) {
        if (!serverName.equals(matrixServerName)) {
            return Future.failedFuture(new InvalidToken("OpenID tokens are accepted from " + serverName
                    + " only, not from " + matrixServerName));
        }
        // The token travels in the query as the spec says; it is never logged.
        return web.getAbs(homeserverUrl + "/_matrix/federation/v1/openid/userinfo")
                .addQueryParam("access_token", accessToken)
                .timeout(timeoutMs)
                .send()
                .compose(response -> {
                    if (response.statusCode() == 401 || response.statusCode() == 403) {
                        return Future.failedFuture(new InvalidToken("the homeserver does not know this OpenID token"
                                + " (expired?)"));
                    }
                    if (response.statusCode() != 200) {
                        return Future.failedFuture(new IllegalStateException("the homeserver answered "
                                + response.statusCode() + " to the OpenID check"));
                    }
                    JsonObject body;
                    try {
                        body = response.bodyAsJsonObject();
                    } catch (RuntimeException e) {
                        return Future.failedFuture(new IllegalStateException("the homeserver's OpenID answer is not"
                                + " JSON"));
                    }
                    String sub = body == null ? null : body.getString("sub");
                    if (sub == null || !sub.startsWith("@") || !sub.endsWith(":" + serverName)) {
                        return Future.failedFuture(new InvalidToken("the homeserver's OpenID answer names no user of "
                                + serverName));
                    }
                    return Future.succeededFuture(sub);
                });
    }

    @Override
    public void close() {
        web.close();
    }
}
