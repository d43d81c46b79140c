package org.conclave.appservice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private static Vertx vertx;
    private static ApiServer server;

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        server = ApiServer.start(vertx, "127.0.0.1", 0, TIMEOUT);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close(TIMEOUT);
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}")).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthSaysOk() throws Exception {
        HttpResponse<String> response = send("GET", "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("status", "ok"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(textBlock = """
            GET,    /
            GET,    /_matrix/app/v1/users/@x:localhost
            PUT,    /_matrix/app/v1/transactions/1
            POST,   /health
            DELETE, /health
            GET,    /health/more
            """)
    void everythingElseIsUnrecognized(String method, String path) throws Exception {
        HttpResponse<String> response = send(method, path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new JsonObject(response.body())).isEqualTo(
                new JsonObject().put("errcode", "M_UNRECOGNIZED").put("error", "Unrecognized request"));
    }

    @Test
    void urlHasTheActualPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void portInUseIsAnIOExceptionNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> ApiServer.start(vertx, "127.0.0.1", port, TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("appservice API: cannot listen on 127.0.0.1:" + port + ": ");
        }
    }
}
