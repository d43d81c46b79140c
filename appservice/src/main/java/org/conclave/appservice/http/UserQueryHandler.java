package org.conclave.appservice.http;

import io.vertx.core.Future;

/** Answers the homeserver's {@code GET /users/{userId}}: true = the user exists now (the appservice created it). */
@FunctionalInterface
public interface UserQueryHandler {
    Future<Boolean> userExists(String userId);
}
