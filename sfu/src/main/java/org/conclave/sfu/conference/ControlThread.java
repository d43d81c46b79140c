package org.conclave.sfu.conference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread all signalling state lives on (conferences, endpoints, rooms). Contract calls run on it and complete
 * a stage; events from the packet, DTLS and SCTP threads are posted to it. Never blocks its callers.
 */
final class ControlThread {
    private static final Logger LOG = LoggerFactory.getLogger(ControlThread.class);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(daemon("sfu-control"));

    /** Runs {@code work} on the control thread; its result or its exception completes the stage. */
    <T> CompletionStage<T> call(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(work.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new SfuException(FailureReason.INTERNAL, "the SFU is shutting down"));
        }
        return f;
    }

    /** Runs {@code work} on the control thread later; during shutdown late events are dropped quietly. */
    void post(Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("control-thread task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("control thread stopped; dropping a late event");
        }
    }

    /** Runs {@code work} and waits up to {@code timeoutMs} for it (shutdown only: never from a Vert.x event loop). */
    void runAndWait(Runnable work, long timeoutMs) {
        try {
            call(() -> {
                work.run();
                return null;
            }).toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("shutdown", e);
        }
    }

    void shutdown() {
        executor.shutdownNow();
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
