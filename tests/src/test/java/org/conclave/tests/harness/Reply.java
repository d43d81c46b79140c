package org.conclave.tests.harness;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** One HTTP response of the signal server, built first and written in one place. */
record Reply(int status, String contentType, byte[] body, String failureReason) {
    /** Header naming the {@link org.conclave.sfu.control.FailureReason} of a refused control call. */
    static final String FAILURE_REASON_HEADER = "X-Sfu-Failure-Reason";
    /** Request bodies are SDP or small JSON; anything bigger is a bug. */
    static final int MAX_REQUEST_BYTES = 1 << 20;

    static Reply text(int status, String text) {
        return new Reply(status, "text/plain; charset=utf-8", utf8(text), null);
    }

    static Reply sdp(String sdp) {
        return new Reply(200, "application/sdp", utf8(sdp), null);
    }

    static Reply json(String json) {
        return new Reply(200, "application/json", utf8(json), null);
    }

    static Reply noContent() {
        return new Reply(204, null, new byte[0], null);
    }

    static Reply refused(int status, String failureReason, String message) {
        return new Reply(status, "text/plain; charset=utf-8", utf8(message), failureReason);
    }

    static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
            if (bytes.length > MAX_REQUEST_BYTES) {
                throw new IllegalArgumentException("request body over " + MAX_REQUEST_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    void writeTo(HttpExchange exchange) throws IOException {
        if (contentType != null) exchange.getResponseHeaders().set("Content-Type", contentType);
        if (failureReason != null) exchange.getResponseHeaders().set(FAILURE_REASON_HEADER, failureReason);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
