package org.conclave.appservice.txn;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.conclave.appservice.config.AppserviceLimits;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.appservice.journal.JournalRecord;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.journal.UnitStatus;
import org.conclave.appservice.txn.TransactionTiming.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes homeserver transactions exactly once across retries and restarts, as far as the handler's effects go
 * (see {@link Delivery#redelivered()} for the one window where a unit may be handed over twice).
 *
 * <p>Per transaction: (1) a transaction already finished (same fingerprint) is acknowledged at once; (2) its units
 * are handed over in slices of at most half of {@code unitsInFlight}, each in a turn of its own: every unit of the
 * slice not already claimed by a transaction in progress is claimed, looked up in the journal and, if new, recorded as
 * started (one fsync per slice); the next slice follows once no more than {@code unitsInFlight} units of the
 * transaction would be under way, so that a transaction of millions of units costs the heap of its tree plus a
 * bounded window, and the event loop is never held for more than one slice; (3) units not done yet go through their
 * room's queue to the handler, each recorded as done afterwards (with its position in the transaction, which the
 * journal keeps until the transaction is finished: exactly once whatever the transaction's size); (4) once every unit
 * is done (including those another transaction in progress held), the transaction is recorded as finished (fsync)
 * and only then acknowledged — or, when some units are still running {@code ackWaitMs} after the transaction's
 * request arrived (or once the last slice is handed over, if that is later), with those still running: the
 * homeserver sends the next transaction only after an acknowledgement, so a slow room would otherwise hold back every
 * other room (they finish in the background, their rooms' queues waiting for them; a crash before they finish loses
 * them, as a unit past its timeout). The wait counts from the arrival, not from the hand-over, so that the time the
 * body took to arrive and the journal's record of the units (an fsync on a busy disk) do not add to it: the
 * acknowledgement comes at most {@code ackWaitMs} after the arrival plus the transaction's own record. Each delivery's
 * phases are timed ({@link TransactionTiming}). Transactions hand their slices over
 * one after the other, so each room's units reach its queue in order across slices and transactions. A journal
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
    private final long ackWaitNanos;
    private final LongSupplier clock;
    private final int unitsInFlight;
    private final int sliceUnits;
    private final RoomQueues rooms = new RoomQueues();
    private final Map<String, Future<Void>> transactionsInProgress = new HashMap<>();
    private final Map<String, Future<Void>> unitsInProgress = new HashMap<>();
    /** Completes when the last transaction submitted has handed all its units over (or failed). */
    private Future<Void> lastHandOver = Future.succeededFuture();

    /** With {@link AppserviceLimits#DEFAULT_TRANSACTION_UNITS_IN_FLIGHT} units under way per transaction. */
    public TransactionProcessor(Vertx vertx, TransactionJournal journal, EventHandler handler,
            TransactionObserver observer, long eventTimeoutMs, long ackWaitMs) {
        this(vertx, journal, handler, observer, eventTimeoutMs, ackWaitMs,
                AppserviceLimits.DEFAULT_TRANSACTION_UNITS_IN_FLIGHT);
    }

    /** @param unitsInFlight most units of one transaction claimed and not done at once; slices are half of it */
    public TransactionProcessor(Vertx vertx, TransactionJournal journal, EventHandler handler,
            TransactionObserver observer, long eventTimeoutMs, long ackWaitMs, int unitsInFlight) {
        this(vertx, journal, handler, observer, eventTimeoutMs, ackWaitMs, unitsInFlight, System::nanoTime);
    }

    /** @param clock nanos, for the arrival of transactions and their wait ({@link System#nanoTime} but in tests) */
    public TransactionProcessor(Vertx vertx, TransactionJournal journal, EventHandler handler,
            TransactionObserver observer, long eventTimeoutMs, long ackWaitMs, int unitsInFlight, LongSupplier clock) {
        if (unitsInFlight < 2) throw new IllegalArgumentException("unitsInFlight " + unitsInFlight + " < 2");
        this.unitsInFlight = unitsInFlight;
        this.sliceUnits = unitsInFlight / 2;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.journal = journal;
        this.handler = handler;
        this.observer = observer;
        this.eventTimeoutMs = eventTimeoutMs;
        this.ackWaitNanos = TimeUnit.MILLISECONDS.toNanos(ackWaitMs);
        this.clock = clock;
    }

    /** A delivery's timing, arrived now: call when its request arrives (any thread). */
    public TransactionTiming arrival() {
        return new TransactionTiming(clock.getAsLong());
    }

    /** Now on the pipeline's clock, for {@link TransactionTiming#mark}. */
    public long now() {
        return clock.getAsLong();
    }

    /** As {@link #submit(Transaction, TransactionTiming)}, arrived now. */
    public Future<Void> submit(Transaction txn) {
        return submit(txn, arrival());
    }

    /**
     * Completes when the transaction may be acknowledged; fails when it must not be (the homeserver retries).
     *
     * @param timing from {@link #arrival} when its request arrived, its phases up to {@link Phase#PARSE} marked; the
     *     pipeline marks those up to {@link Phase#RECORD} before the future completes
     */
    public Future<Void> submit(Transaction txn, TransactionTiming timing) {
        Promise<Void> result = Promise.promise();
        context.runOnContext(v -> process(txn, timing).onComplete(ar -> {
            observer.onFinished(txn, clock.getAsLong() - timing.arrived(), ar.cause());
            result.handle(ar);
        }));
        return result.future();
    }

    /** The homeserver's 200 for {@code txn} was written: marks {@link Phase#RESPOND}, tells the observer. */
    public void answered(Transaction txn, TransactionTiming timing) {
        timing.mark(Phase.RESPOND, clock.getAsLong());
        context.runOnContext(v -> observer.onAnswered(txn, timing));
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

    private Future<Void> process(Transaction txn, TransactionTiming timing) {
        Future<Void> running = transactionsInProgress.get(txn.fingerprint());
        if (running != null) { // a duplicate delivery while the first is still being processed: it waits for that
            return running.onComplete(ignored -> timing.mark(Phase.QUEUE, clock.getAsLong()));
        }
        Promise<Void> done = Promise.promise();
        transactionsInProgress.put(txn.fingerprint(), done.future());
        done.future().onComplete(ignored -> transactionsInProgress.remove(txn.fingerprint()));
        Promise<Void> ours = Promise.promise();
        Future<Void> before = lastHandOver;
        lastHandOver = ours.future();
        before.onComplete(ignored -> {
            timing.mark(Phase.QUEUE, clock.getAsLong());
            new Run(txn, timing, done, ours).pump();
        });
        return done.future();
    }

    /** One transaction's hand-over, slice by slice; confined to the pipeline's context. */
    private final class Run {
        private final Transaction txn;
        private final TransactionTiming timing;
        private final List<Unit> units;
        private final Promise<Void> done;
        private final Promise<Void> handedOver;
        private final Promise<Void> allDone = Promise.promise();
        private int next;
        private int inFlight;
        private boolean begun;
        private boolean claiming;
        private Throwable failure;

        Run(Transaction txn, TransactionTiming timing, Promise<Void> done, Promise<Void> handedOver) {
            this.txn = txn;
            this.timing = timing;
            this.units = txn.units();
            this.done = done;
            this.handedOver = handedOver;
        }

        /** Claims the next slice when the window has room for it; called again whenever a unit is done. */
        void pump() {
            if (failure != null || claiming || (begun && next >= units.size())) return;
            int size = Math.min(sliceUnits, units.size() - next);
            if (begun && inFlight + size > unitsInFlight) return;
            claiming = true;
            List<Unit> claimed = new ArrayList<>(size);
            List<Promise<Void>> claims = new ArrayList<>(size);
            int[] positions = new int[size];
            for (int end = next + size; next < end; next++) {
                Unit unit = units.get(next);
                inFlight++;
                Future<Void> other = unitsInProgress.get(unit.key());
                if (other != null) {
                    other.onComplete(this::unitDone);
                    continue;
                }
                Promise<Void> claim = Promise.promise();
                unitsInProgress.put(unit.key(), claim.future());
                claim.future().onComplete(ignored -> unitsInProgress.remove(unit.key(), claim.future()));
                positions[claimed.size()] = next;
                claimed.add(unit);
                claims.add(claim);
            }
            journal.begin(context, txn.fingerprint(), claimed.stream().map(Unit::key).toList(), positions)
                    .onComplete(ar -> begun(ar, claimed, claims, positions));
        }

        private void begun(AsyncResult<TransactionJournal.Begin> begin, List<Unit> claimed,
                List<Promise<Void>> claims, int[] positions) {
            if (begin.failed() || failure != null) { // failure: a unit another transaction held failed meanwhile
                Throwable cause = begin.failed() ? begin.cause() : failure;
                claims.forEach(c -> c.fail(cause));
                fail(cause);
                return;
            }
            if (begin.result().txnDone()) {
                claims.forEach(Promise::complete);
                LOG.debug("transaction {} was processed before: acknowledging it again", txn.txnId());
                timing.mark(Phase.HAND_OVER, clock.getAsLong());
                handedOver.tryComplete();
                done.tryComplete();
                return;
            }
            begun = true;
            Map<String, UnitStatus> statuses = begin.result().statuses();
            offerState(claimed, statuses);
            for (int i = 0; i < claimed.size(); i++) {
                Unit unit = claimed.get(i);
                UnitStatus status = statuses.get(unit.key());
                Promise<Void> claim = claims.get(i);
                claim.future().onComplete(this::unitDone);
                if (status == UnitStatus.DONE) {
                    claim.complete();
                } else {
                    Delivery delivery = new Delivery(txn.txnId(), status == UnitStatus.STARTED);
                    int position = positions[i];
                    rooms.submit(unit.queue(), () -> handle(unit, delivery, txn.fingerprint(), position))
                            .onComplete(claim);
                }
            }
            observer.onSlice(txn, claimed.size());
            claiming = false; // only now: units done meanwhile must not start the next slice in this turn
            if (next < units.size()) {
                context.runOnContext(v -> pump()); // the next slice in a turn of its own
                return;
            }
            long now = clock.getAsLong();
            timing.mark(Phase.HAND_OVER, now);
            handedOver.tryComplete();
            if (inFlight == 0) allDone.tryComplete();
            atMost(allDone.future(), timing.arrived() + ackWaitNanos - now)
                    .compose(ignored -> {
                        timing.mark(Phase.WAIT, clock.getAsLong());
                        return journal.finish(context, txn.fingerprint(), txn.txnId());
                    })
                    .onSuccess(ignored -> {
                        timing.mark(Phase.RECORD, clock.getAsLong());
                        if (txn.skipped() > 0) {
                            LOG.warn("transaction {}: left out {} unusable item(s)", txn.txnId(), txn.skipped());
                        }
                        observer.beforeAcknowledge(txn);
                    })
                    .onComplete(ar -> {
                        if (ar.succeeded()) done.tryComplete();
                        else done.tryFail(ar.cause());
                    });
        }

        private void unitDone(AsyncResult<Void> unit) {
            inFlight--;
            if (unit.failed()) {
                fail(unit.cause()); // a journal failure: the homeserver must retry
            } else if (begun && next >= units.size() && !claiming) {
                if (inFlight == 0) allDone.tryComplete();
            } else {
                pump();
            }
        }

        private void fail(Throwable cause) {
            if (failure == null) failure = cause;
            allDone.tryFail(cause);
            handedOver.tryComplete();
            done.tryFail(cause);
        }
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
    private Future<Void> handle(Unit unit, Delivery delivery, String fingerprint, int position) {
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
            return journal.done(context, unit.key(), result, fingerprint, position);
        });
    }

    /**
     * Completes when {@code units} does or after {@code nanos} (at once if none are left), whichever comes first: a
     * unit still running then goes on (its room's queue waits for it) but no longer holds back the transaction, and
     * with it every other room's events.
     */
    private Future<Void> atMost(Future<?> units, long nanos) {
        if (nanos <= 0 && !units.isComplete()) return Future.succeededFuture();
        Promise<Void> bounded = Promise.promise();
        long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)); // rounded up: not before the deadline
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
