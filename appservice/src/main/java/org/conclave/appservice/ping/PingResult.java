package org.conclave.appservice.ping;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.conclave.appservice.intent.HomeserverClient;

/**
 * One ping's outcome with what an operator needs to fix it.
 *
 * @param durationMs the homeserver's {@code duration_ms} (OK only, else -1)
 * @param status the homeserver's HTTP status (0: no answer)
 * @param errcode its Matrix errcode, or null
 * @param appserviceStatus for M_BAD_STATUS, the status our API gave the homeserver (else 0)
 * @param detail the connection error when there was no answer, else null (never holds a token)
 */
public record PingResult(PingOutcome outcome, long durationMs, int status, String errcode, int appserviceStatus,
        String detail) {

    /** What an explanation refers to. */
    public record Setup(String homeserverUrl, String appserviceUrl, String asId, Path registrationFile) {}

    /** Classifies an answer of {@code POST /_matrix/client/v1/appservice/{id}/ping}. */
    public static PingResult of(HomeserverClient.Response response) {
        int status = response.status();
        JsonObject body = response.body();
        String errcode = body.getValue("errcode") instanceof String e ? e : null;
        int asStatus = body.getValue("status") instanceof Number n ? n.intValue() : 0;
        PingOutcome outcome;
        if (status == 200) {
            outcome = PingOutcome.OK;
        } else if ("M_CONNECTION_FAILED".equals(errcode) || "M_CONNECTION_TIMEOUT".equals(errcode)) {
            outcome = PingOutcome.APPSERVICE_UNREACHABLE;
        } else if ("M_BAD_STATUS".equals(errcode)) {
            outcome = asStatus == 401 || asStatus == 403 ? PingOutcome.HS_TOKEN_MISMATCH : PingOutcome.APPSERVICE_ERROR;
        } else if ("M_URL_NOT_SET".equals(errcode)) {
            outcome = PingOutcome.URL_NOT_SET;
        } else if (status == 401 || (status == 403 && "M_FORBIDDEN".equals(errcode))) {
            outcome = PingOutcome.AS_TOKEN_UNKNOWN;
        } else if ((status == 404 || status == 405) && ("M_UNRECOGNIZED".equals(errcode) || errcode == null)
                || status == 400 && "M_UNRECOGNIZED".equals(errcode)) {
            // 400 M_UNRECOGNIZED: Synapse before 1.84 answers unknown endpoints so.
            outcome = PingOutcome.NOT_SUPPORTED;
        } else {
            outcome = PingOutcome.UNEXPECTED;
        }
        long duration = outcome == PingOutcome.OK && body.getValue("duration_ms") instanceof Number d
                ? d.longValue() : -1;
        return new PingResult(outcome, duration, status, errcode, asStatus, null);
    }

    public static PingResult unreachable(Throwable cause) {
        return new PingResult(PingOutcome.HOMESERVER_UNREACHABLE, -1, 0, null, 0,
                cause == null ? "no answer" : cause.getMessage());
    }

    public boolean ok() {
        return outcome == PingOutcome.OK;
    }

    /** One paragraph: what happened, what it means, what to do. */
    public String explain(Setup setup) {
        String answer = "HTTP " + status + (errcode == null ? "" : " " + errcode);
        return switch (outcome) {
            case OK -> "the homeserver reaches the appservice at " + setup.appserviceUrl() + " (ping took "
                    + durationMs + " ms)";
            case HOMESERVER_UNREACHABLE -> "cannot reach the homeserver at " + setup.homeserverUrl() + " (" + detail
                    + "); is it running, and is appservice.homeserver_url right?";
            case APPSERVICE_UNREACHABLE -> "the homeserver cannot connect to the appservice at "
                    + setup.appserviceUrl() + " (" + answer + "); the registration's url must be an address the"
                    + " homeserver can reach (check appservice.listen_address/listen_port, firewalls, containers),"
                    + " then restart the homeserver if you change the file";
            case HS_TOKEN_MISMATCH -> "the homeserver reached the appservice but presented another hs_token (our API"
                    + " answered " + appserviceStatus + "); the homeserver has an older registration than "
                    + setup.registrationFile() + ": give it this file and restart it";
            case AS_TOKEN_UNKNOWN -> "the homeserver does not accept our as_token for appservice id '" + setup.asId()
                    + "' (" + answer + "); it has not loaded " + setup.registrationFile() + " (or has an older"
                    + " copy): list it in app_service_config_files and restart the homeserver";
            case URL_NOT_SET -> "the homeserver's copy of the registration has no url; use "
                    + setup.registrationFile() + " and restart the homeserver";
            case NOT_SUPPORTED -> "the homeserver does not offer the appservice ping (Matrix v1.7, Synapse 1.84+; "
                    + answer + "); the connection could not be checked";
            case APPSERVICE_ERROR -> "the homeserver reached " + setup.appserviceUrl() + " but got HTTP "
                    + appserviceStatus + " from it; is the registration's url pointing at Conclave?";
            case UNEXPECTED -> "unexpected answer to the appservice ping: " + answer;
        };
    }
}
