package org.conclave.sfu.conference;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Work is keyed by conference ({@link FairExecutor}): conferences take turns, one task each, and one conference's
 * tasks run in order, so a crowd joining one conference delays another's signalling by a task per turn, not by the
 * whole crowd. Work of no conference (the tick, node-wide queries, shutdown) has a key of its own. Work for an
 * endpoint takes its conference's key, known from {@link #bind} (on allocation) until {@link #unbind} (on close);
 * an endpoint that is gone or unknown gets the node's key (its work finds no endpoint).
 */
final class ControlThread {
    private static final Logger LOG = LoggerFactory.getLogger(ControlThread.class);
    /** The key of work that belongs to no conference. */
    private static final Object NODE = new Object() {
        @Override
        public String toString() {
            return "node";
        }
    };

    private final FairExecutor executor = new FairExecutor(daemon("sfu-control"));
    /** Endpoint id to conference id: written on the control thread, read by any. */
    private final Map<String, String> conferenceOf = new ConcurrentHashMap<>();

    /** Node-wide work: {@link #call(Object, Supplier)} under the node's key. */
    <T> CompletionStage<T> call(Supplier<T> work) {
        return call(NODE, work);
    }

    /** Runs {@code work} on the control thread in {@code key}'s turn; its result or exception completes the stage. */
    <T> CompletionStage<T> call(Object key, Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(key == null ? NODE : key, () -> {
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

    /** A call about an endpoint: in its conference's turn. */
    <T> CompletionStage<T> callForEndpoint(String endpointId, Supplier<T> work) {
        return call(keyOf(endpointId), work);
    }

    /** Node-wide work: {@link #post(Object, Runnable)} under the node's key. */
    void post(Runnable work) {
        post(NODE, work);
    }

    /** Runs {@code work} on the control thread later, in {@code key}'s turn; during shutdown it is dropped quietly. */
    void post(Object key, Runnable work) {
        try {
            executor.execute(key == null ? NODE : key, work);
        } catch (RejectedExecutionException e) {
            LOG.debug("control thread stopped; dropping a late event");
        }
    }

    /** An event about an endpoint (from any thread): in its conference's turn. */
    void postForEndpoint(String endpointId, Runnable work) {
        post(keyOf(endpointId), work);
    }

    /** The endpoint belongs to the conference from now on (control thread, before its allocation completes). */
    void bind(String endpointId, String conferenceId) {
        conferenceOf.put(endpointId, conferenceId);
    }

    /** The endpoint is gone (control thread). */
    void unbind(String endpointId) {
        conferenceOf.remove(endpointId);
    }

    private Object keyOf(String endpointId) {
        String conference = endpointId == null ? null : conferenceOf.get(endpointId);
        return conference == null ? NODE : conference;
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
