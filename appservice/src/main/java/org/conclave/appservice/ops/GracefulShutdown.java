package org.conclave.appservice.ops;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.http.ApiServer;
import org.conclave.appservice.txn.TransactionProcessor;
import org.conclave.sfu.Sfu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM does before anything is torn down, within {@link #BUDGET} so that the process exits in under 10 s:
 * (1) drain: no new endpoint; (2) the AS API answers 503 to new transactions (the homeserver retries them after the
 * restart) and the ones in progress finish, so the journal has no unit left started but not done; (3) every SFU
 * endpoint closes with {@code CloseCause.SHUTDOWN}, whose listener (the call handler) hangs the call up with a reason;
 * (4) the hang-ups reach the homeserver ({@link EventHandler#stop()}: what the handler still had to send went out). Each step is bounded; a step that runs out of
 * time is logged and the next one goes ahead.
 */
public final class GracefulShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
    /** What an SFU endpoint's close carries; the appservice tells the participant. */
    public static final String DETAIL = "the conference server is shutting down (restart or maintenance)";
    static final Duration TRANSACTIONS_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ENDPOINTS_TIMEOUT = Duration.ofSeconds(2);
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(3);
    /** The sum of the steps; closing listeners, journal and threads afterwards takes well under a second. */
    public static final Duration BUDGET = TRANSACTIONS_TIMEOUT.plus(ENDPOINTS_TIMEOUT).plus(FLUSH_TIMEOUT);
    private static final long POLL_MS = 20;

    private GracefulShutdown() {}

    /** Where this process's calls have their media: its own SFU, or the nodes of a cluster it placed them on. */
    public interface Media {
        /** No new endpoint from now on. */
        void drain();

        /** Closes every endpoint with {@code CloseCause.SHUTDOWN} and {@code detail}; completes with how many. */
        CompletionStage<Integer> closeAll(String detail);
    }

    /** The media of an SFU in this process. */
    public static Media of(Sfu sfu) {
        return new Media() {
            @Override
            public void drain() {
                sfu.operations().setDraining(true);
            }

            @Override
            public CompletionStage<Integer> closeAll(String detail) {
                return sfu.conferences().closeAllForShutdown(detail);
            }
        };
    }

    /**
     * @param media in the order their endpoints close
     * @param api null when this process serves no AS API (an SFU node)
     * @param processor null when the appservice never started
     * @param handler null when the appservice never started
     */
    public static void run(List<Media> media, ApiServer api, TransactionProcessor processor, EventHandler handler) {
        long start = System.nanoTime();
        media.forEach(Media::drain);
        if (api != null) api.refuseTransactions();
        if (processor != null && !await(() -> inProgress(processor) == 0, TRANSACTIONS_TIMEOUT)) {
            LOG.warn("shutdown: transactions still in progress after {} ms; they will be retried after the restart",
                    TRANSACTIONS_TIMEOUT.toMillis());
        }
        int closed = 0;
        long deadline = System.nanoTime() + ENDPOINTS_TIMEOUT.toNanos();
        for (Media m : media) {
            try {
                closed += m.closeAll(DETAIL).toCompletableFuture()
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                LOG.warn("shutdown: endpoints not all closed: {}", e.toString());
            }
        }
        if (processor != null && handler != null) {
            // The listeners posted their hang-ups to the handler's context (the processor's): let them run first.
            inProgress(processor);
            try {
                handler.stop().await(FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("shutdown: the call handler's last sends not done after {} ms: {}", FLUSH_TIMEOUT.toMillis(),
                        e.toString());
            }
        }
        LOG.info("shutdown: {} endpoints closed, calls hung up, in {} ms", closed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Transactions in progress, asked on the processor's context (so also a barrier behind what is queued there). */
    private static int inProgress(TransactionProcessor processor) {
        try {
            return processor.inProgress().await(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return 0;
        }
    }

    private static boolean await(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
