package org.conclave.appservice.txn;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.appservice.journal.JournalRecord;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.journal.UnitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes homeserver transactions exactly once across retries and restarts, as far as the handler's effects go
 * (see {@link Delivery#redelivered()} for the one window where a unit may be handed over twice).
 *
 * <p>Per transaction: (1) a transaction already finished (same fingerprint) is acknowledged at once; (2) every unit
 * not already claimed by a transaction in progress is claimed, looked up in the journal and, if new, recorded as
 * started (one fsync for the whole transaction); (3) units not done yet go through their room's queue to the handler,
 * each recorded as done afterwards; (4) once every unit is done (including those another transaction in progress
 * held), the transaction is recorded as finished (fsync) and only then acknowledged — or, when some units are still
 * running after {@code ackWaitMs}, with those still running: the homeserver sends the next transaction only after an
 * acknowledgement, so a slow room would otherwise hold back every other room (they finish in the background, their
 * rooms' queues waiting for them; a crash before they finish loses them, as a unit past its timeout). A journal
 * failure fails the transaction (the homeserver retries it); a handler failure or timeout is logged and the unit
 * counts as done.
 *
 * <p>All state lives on one Vert.x context created for it; {@link #submit} may be called from any thread.
 */
public final class TransactionProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionProcessor.class);
    static final String OK = "ok";
    static final String FAILED = "failed";
    static final String TIMED_OUT = "timeout";

    private final Vertx vertx;
    private final Context context;
    private final TransactionJournal journal;
    private final EventHandler handler;
    private final TransactionObserver observer;
    private final long eventTimeoutMs;
    private final long ackWaitMs;
    private final RoomQueues rooms = new RoomQueues();
    private final Map<String, Future<Void>> transactionsInProgress = new HashMap<>();
    private final Map<String, Future<Void>> unitsInProgress = new HashMap<>();

    public TransactionProcessor(Vertx vertx, TransactionJournal journal, EventHandler handler,
            TransactionObserver observer, long eventTimeoutMs, long ackWaitMs) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.journal = journal;
        this.handler = handler;
        this.observer = observer;
        this.eventTimeoutMs = eventTimeoutMs;
        this.ackWaitMs = ackWaitMs;
    }

    /** Completes when the transaction may be acknowledged; fails when it must not be (the homeserver retries). */
    public Future<Void> submit(Transaction txn) {
        Promise<Void> result = Promise.promise();
        long start = System.nanoTime();
        context.runOnContext(v -> process(txn).onComplete(ar -> {
            observer.onFinished(txn, System.nanoTime() - start, ar.cause());
            result.handle(ar);
        }));
        return result.future();
    }

    /**
     * A delivery was refused before parsing finished (400, 413); told to the observer on the pipeline's context.
     *
     * @param limit the limit its body exceeded, null when it was unusable otherwise
     */
    public void refused(TransactionLimit limit) {
        context.runOnContext(v -> observer.onRefused(limit));
    }

    /** Tells the handler, on the pipeline's context, that the appservice started ({@link EventHandler#onStarted}). */
    public void started() {
        context.runOnContext(v -> {
            try {
                handler.onStarted();
            } catch (RuntimeException e) {
                LOG.warn("the handler's start-up work failed", e);
            }
        });
    }

    /** Transactions being processed now (for tests and health). */
    public Future<Integer> inProgress() {
        Promise<Integer> result = Promise.promise();
        context.runOnContext(v -> result.complete(transactionsInProgress.size()));
        return result.future();
    }

    private Future<Void> process(Transaction txn) {
        Future<Void> running = transactionsInProgress.get(txn.fingerprint());
        if (running != null) return running; // a duplicate delivery while the first is still being processed
        Promise<Void> done = Promise.promise();
        transactionsInProgress.put(txn.fingerprint(), done.future());
        done.future().onComplete(ignored -> transactionsInProgress.remove(txn.fingerprint()));

        List<Future<Void>> waits = new ArrayList<>();
        List<Unit> claimed = new ArrayList<>();
        Map<String, Promise<Void>> claims = new HashMap<>();
        for (Unit unit : txn.units()) {
            Future<Void> other = unitsInProgress.get(unit.key());
            if (other != null) {
                waits.add(other);
                continue;
            }
            Promise<Void> claim = Promise.promise();
            unitsInProgress.put(unit.key(), claim.future());
            claim.future().onComplete(ignored -> unitsInProgress.remove(unit.key(), claim.future()));
            claims.put(unit.key(), claim);
            claimed.add(unit);
        }

        journal.begin(context, txn.fingerprint(), claimed.stream().map(Unit::key).toList()).onComplete(begun -> {
            if (begun.failed()) {
                claims.values().forEach(c -> c.fail(begun.cause()));
                done.fail(begun.cause());
                return;
            }
            if (begun.result().txnDone()) {
                claims.values().forEach(Promise::complete);
                LOG.debug("transaction {} was processed before: acknowledging it again", txn.txnId());
                done.complete();
                return;
            }
            offerState(claimed, begun.result().statuses());
            List<Future<Void>> all = new ArrayList<>(waits);
            for (Unit unit : claimed) {
                UnitStatus status = begun.result().statuses().get(unit.key());
                Promise<Void> claim = claims.get(unit.key());
                if (status == UnitStatus.DONE) {
                    claim.complete();
                } else {
                    Delivery delivery = new Delivery(txn.txnId(), status == UnitStatus.STARTED);
                    rooms.submit(unit.queue(), () -> handle(unit, delivery)).onComplete(claim);
                }
                all.add(claim.future());
            }
            atMost(Future.all(all), ackWaitMs)
                    .compose(ignored -> journal.finish(context, txn.fingerprint(), txn.txnId()))
                    .onSuccess(ignored -> {
                        if (txn.skipped() > 0) {
                            LOG.warn("transaction {}: left out {} unusable item(s)", txn.txnId(), txn.skipped());
                        }
                        observer.beforeAcknowledge(txn);
                    })
                    .onComplete(done);
        });
        return done.future();
    }

    /** The state events about to be handed over, to the handler's cache before any of them is queued. */
    private void offerState(List<Unit> claimed, Map<String, UnitStatus> statuses) {
        List<RoomEvent> state = new ArrayList<>();
        for (Unit unit : claimed) {
            if (unit.kind() == Unit.Kind.ROOM_EVENT && statuses.get(unit.key()) != UnitStatus.DONE) {
                RoomEvent event = new RoomEvent(unit.json());
                if (event.isState()) state.add(event);
            }
        }
        if (state.isEmpty()) return;
        try {
            handler.onStateEvents(state);
        } catch (RuntimeException e) {
            LOG.warn("the handler failed to take {} state event(s); going on", state.size(), e);
        }
    }

    /** Hands one unit to the handler, then records it done; fails only if the journal does. */
    private Future<Void> handle(Unit unit, Delivery delivery) {
        Future<Void> handled;
        try {
            handled = dispatch(unit, delivery);
            if (handled == null) handled = Future.failedFuture(new NullPointerException("handler returned null"));
        } catch (RuntimeException e) {
            handled = Future.failedFuture(e);
        }
        Promise<String> outcome = Promise.promise();
        long timer = vertx.setTimer(eventTimeoutMs,
                id -> outcome.tryComplete(outcomeOf(unit, delivery, new TimeoutException())));
        handled.onComplete(ar ->
                // Back onto our context whichever thread the handler completed on.
                context.runOnContext(v -> {
                    vertx.cancelTimer(timer);
                    if (!outcome.future().isComplete()) outcome.complete(outcomeOf(unit, delivery, ar.cause()));
                }));
        return outcome.future().compose(result -> {
            observer.onUnitHandled(unit, result);
            return journal.done(context, unit.key(), result);
        });
    }

    /**
     * Completes when {@code units} does or after {@code ms}, whichever comes first: a unit still running then goes on
     * (its room's queue waits for it) but no longer holds back the transaction, and with it every other room's events.
     */
    private Future<Void> atMost(Future<?> units, long ms) {
        Promise<Void> bounded = Promise.promise();
        long timer = vertx.setTimer(ms, id -> bounded.tryComplete());
        units.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed()) bounded.tryFail(ar.cause()); // a journal failure: the homeserver must retry
            else bounded.tryComplete();
        });
        return bounded.future();
    }

    private Future<Void> dispatch(Unit unit, Delivery delivery) {
        return switch (unit.kind()) {
            case ROOM_EVENT -> handler.onRoomEvent(new RoomEvent(unit.json()), delivery);
            case EPHEMERAL -> handler.onEphemeral(new EphemeralEvent(unit.json()), delivery);
            case TO_DEVICE -> handler.onToDevice(new EphemeralEvent(unit.json()), delivery);
        };
    }

    private String outcomeOf(Unit unit, Delivery delivery, Throwable failure) {
        if (failure == null) return OK;
        if (failure instanceof TimeoutException) {
            LOG.warn("{} {} (transaction {}): not handled within {} ms; going on with the next", unit.kind(),
                    unit.key(), delivery.txnId(), eventTimeoutMs);
            return TIMED_OUT;
        }
        LOG.warn("{} {} (transaction {}): handler failed; it is not retried", unit.kind(), unit.key(),
                delivery.txnId(), failure);
        return FAILED;
    }
}
