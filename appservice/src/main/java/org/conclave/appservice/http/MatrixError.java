package org.conclave.appservice.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A Matrix error response: HTTP status plus {@code {"errcode", "error"}}. */
public record MatrixError(int status, String errcode, String error) {
    public static final String UNRECOGNIZED = "M_UNRECOGNIZED";
    /** The AS API asks for 401 when the homeserver sent no token; the errcode is the client-server API's for that. */
    public static final String MISSING_TOKEN = "M_MISSING_TOKEN";
    public static final String FORBIDDEN = "M_FORBIDDEN";
    public static final String NOT_FOUND = "M_NOT_FOUND";
    public static final String NOT_JSON = "M_NOT_JSON";
    public static final String BAD_JSON = "M_BAD_JSON";
    public static final String TOO_LARGE = "M_TOO_LARGE";
    public static final String UNKNOWN = "M_UNKNOWN";

    public static final MatrixError NOT_FOUND_PATH = new MatrixError(404, UNRECOGNIZED, "Unrecognized request");
    public static final MatrixError WRONG_METHOD = new MatrixError(405, UNRECOGNIZED, "Unrecognized request method");
    public static final MatrixError NO_TOKEN = new MatrixError(401, MISSING_TOKEN, "Missing homeserver token");
    public static final MatrixError BAD_TOKEN = new MatrixError(403, FORBIDDEN, "Bad homeserver token");

    public JsonObject body() {
        return new JsonObject().put("errcode", errcode).put("error", error);
    }

    public void send(RoutingContext ctx) {
        ApiServer.sendJson(ctx, status, body());
    }
}
