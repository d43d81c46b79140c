package org.conclave.appservice.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.conclave.appservice.intent.HomeserverClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PingResultTest {
    private static final PingResult.Setup SETUP = new PingResult.Setup("http://hs:8008", "http://as:8009", "conclave",
            Path.of("/etc/conclave/registration.yaml"));

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            200 | {"duration_ms": 12}                                           | OK
            502 | {"errcode": "M_CONNECTION_FAILED"}                            | APPSERVICE_UNREACHABLE
            504 | {"errcode": "M_CONNECTION_TIMEOUT"}                           | APPSERVICE_UNREACHABLE
            502 | {"errcode": "M_BAD_STATUS", "status": 403, "body": "{}"}      | HS_TOKEN_MISMATCH
            502 | {"errcode": "M_BAD_STATUS", "status": 401}                    | HS_TOKEN_MISMATCH
            502 | {"errcode": "M_BAD_STATUS", "status": 404}                    | APPSERVICE_ERROR
            502 | {"errcode": "M_BAD_STATUS", "status": 500}                    | APPSERVICE_ERROR
            400 | {"errcode": "M_URL_NOT_SET"}                                  | URL_NOT_SET
            401 | {"errcode": "M_UNKNOWN_TOKEN"}                                | AS_TOKEN_UNKNOWN
            401 | {"errcode": "M_MISSING_TOKEN"}                                | AS_TOKEN_UNKNOWN
            403 | {"errcode": "M_FORBIDDEN"}                                    | AS_TOKEN_UNKNOWN
            404 | {"errcode": "M_UNRECOGNIZED"}                                 | NOT_SUPPORTED
            405 | {"errcode": "M_UNRECOGNIZED"}                                 | NOT_SUPPORTED
            404 | {}                                                            | NOT_SUPPORTED
            400 | {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"} | NOT_SUPPORTED
            400 | {"errcode": "M_BAD_JSON"}                                     | UNEXPECTED
            500 | {"errcode": "M_UNKNOWN"}                                      | UNEXPECTED
            403 | {"errcode": "M_LIMIT_EXCEEDED"}                               | UNEXPECTED
            """)
    void answersAreClassified(int status, String body, PingOutcome expected) {
        PingResult result = PingResult.of(new HomeserverClient.Response(status, new JsonObject(body), null));

        assertThat(result.outcome()).isEqualTo(expected);
        assertThat(result.explain(SETUP)).isNotBlank();
    }

    @Test
    void explanationsNameWhatToFix() {
        assertThat(PingResult.of(new HomeserverClient.Response(200, new JsonObject().put("duration_ms", 12), null))
                .explain(SETUP)).isEqualTo("the homeserver reaches the appservice at http://as:8009 (ping took 12 ms)");
        assertThat(PingResult.unreachable(new RuntimeException("Connection refused")).explain(SETUP))
                .contains("cannot reach the homeserver at http://hs:8008 (Connection refused)")
                .contains("appservice.homeserver_url");
        assertThat(PingResult.of(new HomeserverClient.Response(502,
                new JsonObject().put("errcode", "M_CONNECTION_FAILED"), null)).explain(SETUP))
                .contains("cannot connect to the appservice at http://as:8009").contains("listen_address");
        assertThat(PingResult.of(new HomeserverClient.Response(502,
                new JsonObject().put("errcode", "M_BAD_STATUS").put("status", 403), null)).explain(SETUP))
                .contains("another hs_token").contains("/etc/conclave/registration.yaml");
        assertThat(PingResult.of(new HomeserverClient.Response(401,
                new JsonObject().put("errcode", "M_UNKNOWN_TOKEN"), null)).explain(SETUP))
                .contains("does not accept our as_token for appservice id 'conclave'")
                .contains("app_service_config_files");
    }
}
