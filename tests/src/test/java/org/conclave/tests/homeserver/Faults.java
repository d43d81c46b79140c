package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the double does wrong on purpose, per request: a reply instead of the real one (429 with
 * {@code retry_after_ms}, 5xx), a slow answer, the real work done but its answer lost (so the client repeats the
 * request: a duplicate), and paths answered the way an older homeserver does ({@code 400 M_UNRECOGNIZED}).
 */
final class Faults {
    enum Kind {
        /** Answer {@code status}/{@code body} without doing anything. */
        REPLY,
        /** Wait {@code delay}, then handle the request normally. */
        SLOW,
        /** Handle the request, then answer {@code status}/{@code body} instead of the real reply. */
        LOST_REPLY
    }

    /** One injected fault; {@code remaining} counts down under its own lock. */
    record Fault(Kind kind, String method, String pathPart, int status, JsonObject body, Duration delay,
            int[] remaining) {
        boolean matches(String m, String path) {
            return method.equals(m) && path.contains(pathPart);
        }
    }

    /** A path an older homeserver does not know: HTTP 400 M_UNRECOGNIZED, as Synapse before 1.84 for the ping. */
    private record Older(String method, String pathPart) {}

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Older> older = new CopyOnWriteArrayList<>();

    void add(Kind kind, String method, String pathPart, int times, int status, JsonObject body, Duration delay) {
        faults.add(new Fault(kind, method, pathPart, status, body == null ? new JsonObject() : body.copy(), delay,
                new int[] {times}));
    }

    void answerAsOlderHomeserver(String method, String pathPart) {
        older.add(new Older(method, pathPart));
    }

    /** The fault for this request, counted as used; null when none applies. */
    Fault take(String method, String path) {
        for (Older o : older) {
            if (o.method.equals(method) && path.contains(o.pathPart)) {
                return new Fault(Kind.REPLY, method, path, 400, new JsonObject().put("errcode", "M_UNRECOGNIZED")
                        .put("error", "Unrecognized request"), Duration.ZERO, new int[] {1});
            }
        }
        for (Fault fault : faults) {
            if (!fault.matches(method, path)) continue;
            synchronized (fault) {
                if (fault.remaining[0] > 0) {
                    fault.remaining[0]--;
                    return fault;
                }
            }
        }
        return null;
    }
}
