package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;

/** A client-server API error of the double: HTTP status plus Matrix errcode and text. */
public final class MatrixFailure extends RuntimeException {
    private final int status;
    private final String errcode;
    private final JsonObject body;

    public MatrixFailure(int status, String errcode, String error) {
        super(status + " " + errcode + ": " + error, null, false, false);
        this.status = status;
        this.errcode = errcode;
        this.body = new JsonObject().put("errcode", errcode).put("error", error);
    }

    /** A reply with an arbitrary body (injected faults). */
    MatrixFailure(int status, JsonObject body) {
        super(status + " " + body.getString("errcode"), null, false, false);
        this.status = status;
        this.errcode = body.getString("errcode");
        this.body = body.copy();
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }

    JsonObject body() {
        return body.copy();
    }
}
