package org.conclave.appservice.intent;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.conclave.appservice.registration.UserNamespace;

/** The appservice's side of the client-server API: intents for its users, and the homeserver ping. */
public final class AppserviceClient implements AutoCloseable {
    private final HomeserverClient client;
    private final UserNamespace namespace;
    private final Map<String, Intent> intents = new ConcurrentHashMap<>();

    public AppserviceClient(HomeserverClient client, UserNamespace namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The appservice's own user (the one clients call). */
    public Intent bot() {
        return intent(namespace.senderUserId());
    }

    /** An intent for a user of the namespace; others cannot be asserted and are refused. */
    public Intent intent(String userId) {
        if (!namespace.contains(userId)) {
            throw new IllegalArgumentException(userId + " is not in the appservice's user namespace");
        }
        return intents.computeIfAbsent(userId, id -> new Intent(client, id));
    }

    public UserNamespace namespace() {
        return namespace;
    }

    /**
     * {@code POST /_matrix/client/v1/appservice/{appserviceId}/ping}: asks the homeserver to call our
     * {@code /_matrix/app/v1/ping}. One try; the answer, whatever its status, is in the result.
     */
    public Future<HomeserverClient.Response> ping(String appserviceId, String transactionId) {
        return client.once(HttpMethod.POST, "/_matrix/client/v1/appservice/" + Paths.segment(appserviceId) + "/ping",
                null, new JsonObject().put("transaction_id", transactionId));
    }

    public HomeserverClient http() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
