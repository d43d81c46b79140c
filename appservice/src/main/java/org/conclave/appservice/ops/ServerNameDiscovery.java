package org.conclave.appservice.ops;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.conclave.appservice.config.AppserviceConfig;

/**
 * Learns the homeserver's server name when {@code appservice.server_name} is not set, so that a first start cannot
 * write a registration for the wrong server: {@code GET /_matrix/client/versions} proves {@code homeserver_url} is a
 * Matrix homeserver, then {@code GET /_matrix/key/v2/server} (the server's signing keys, which name it) gives the
 * name. Runs once on the starting thread, before anything listens.
 */
public final class ServerNameDiscovery {
    /** The start cannot go on; the message tells the operator which key to set. */
    public static final class DiscoveryException extends Exception {
        DiscoveryException(String message) {
            super(message);
        }
    }

    private ServerNameDiscovery() {}

    public static String discover(String homeserverUrl, Duration timeout) throws DiscoveryException {
        String base = homeserverUrl.endsWith("/") ? homeserverUrl.substring(0, homeserverUrl.length() - 1)
                : homeserverUrl;
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        JsonObject versions = get(http, base + "/_matrix/client/versions", timeout, homeserverUrl);
        if (!(versions.getValue("versions") instanceof io.vertx.core.json.JsonArray)) {
            throw failure(homeserverUrl, base + "/_matrix/client/versions answered, but not like a Matrix homeserver"
                    + " (no \"versions\"): is appservice.homeserver_url right?");
        }
        JsonObject keys = get(http, base + "/_matrix/key/v2/server", timeout, homeserverUrl);
        String name = keys.getValue("server_name") instanceof String s ? s : null;
        if (name == null || !AppserviceConfig.isServerName(name)) {
            throw failure(homeserverUrl, base + "/_matrix/key/v2/server names no valid server_name");
        }
        return name;
    }

    private static JsonObject get(HttpClient http, String url, Duration timeout, String homeserverUrl)
            throws DiscoveryException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(homeserverUrl, "GET " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(homeserverUrl, "interrupted");
        } catch (IllegalArgumentException e) {
            throw failure(homeserverUrl, "bad URL " + url);
        }
        if (response.statusCode() != 200) {
            throw failure(homeserverUrl, "GET " + url + " answered HTTP " + response.statusCode());
        }
        try {
            return new JsonObject(response.body());
        } catch (RuntimeException e) {
            throw failure(homeserverUrl, "GET " + url + " did not answer a JSON object");
        }
    }

    private static DiscoveryException failure(String homeserverUrl, String why) {
        return new DiscoveryException("appservice.server_name is not set, and the homeserver at " + homeserverUrl
                + " could not be asked for it: " + why + ".\nSet appservice.server_name (environment:"
                + " CONCLAVE_APPSERVICE_SERVER_NAME) to your homeserver's server name, the part after ':' in your"
                + " users' ids (e.g. example.org), and check appservice.homeserver_url.");
    }
}
