package org.conclave.appservice.intent;

import io.vertx.core.json.JsonObject;

/**
 * A client-server API request that did not succeed. The message names method and path only (never the query, never
 * a token), the status, and the homeserver's {@code errcode}/{@code error}.
 *
 * @see #status() 0 when the homeserver could not be reached or did not answer in time
 */
public final class MatrixHttpException extends RuntimeException {
    private final int status;
    private final String errcode;
    private final JsonObject body;
    private final int attempts;

    public MatrixHttpException(String request, int status, String errcode, String error, JsonObject body,
            int attempts, Throwable cause) {
        super(request + " -> " + (status == 0 ? "no answer" : "HTTP " + status)
                + (errcode == null ? "" : " " + errcode) + (error == null ? "" : ": " + error)
                + (attempts > 1 ? " (after " + attempts + " tries)" : ""), cause);
        this.status = status;
        this.errcode = errcode;
        this.body = body;
        this.attempts = attempts;
    }

    public int status() {
        return status;
    }

    /** The Matrix error code, or null (no answer, or a body that was not a Matrix error). */
    public String errcode() {
        return errcode;
    }

    /** The error body as JSON (empty if none or not JSON). */
    public JsonObject body() {
        return body;
    }

    public int attempts() {
        return attempts;
    }

    public boolean is(String code) {
        return code.equals(errcode);
    }
}
