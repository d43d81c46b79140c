package org.conclave.appservice.call;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/**
 * The one Vert.x context all call state lives on: the context the transaction pipeline calls the handler on (bound at
 * the first event). SFU callbacks and SFU results come from SFU threads and are brought back here.
 */
final class CallLoop {
    private final Vertx vertx;
    private volatile Context context;

    CallLoop(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Called on every entry from the pipeline: the first binds the loop to the pipeline's context. */
    void bind() {
        if (context == null) context = vertx.getOrCreateContext();
    }

    /** Runs {@code task} on the loop (from any thread); before the first event, on a context of its own. */
    void run(Runnable task) {
        Context c = context;
        (c != null ? c : vertx.getOrCreateContext()).runOnContext(v -> task.run());
    }

    /** An SFU result as a future completing on the loop. */
    <T> Future<T> from(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, context);
    }
}
