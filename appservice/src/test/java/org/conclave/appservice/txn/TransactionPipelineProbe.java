package org.conclave.appservice.txn;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.AppserviceLimits;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.appservice.journal.TransactionJournal;

/**
 * Not a test: a measurement (docs/reliability.md, "Oversized and deeply nested input"). Parses a body of N EDUs
 * {@code {"type":"m"}} (the most units {@code max_transaction_values} lets through: 1,999,998) and hands it through
 * the whole pipeline (journal in a temporary directory, default window, a handler that answers at once), as the
 * HTTP handler would, keeping the body alive meanwhile. Prints when it was parsed, acknowledged and handled, and the
 * longest gap between two ticks of a 10 ms timer on the pipeline's event loop (one event loop in all; a garbage
 * collection stops it too, so the longest collection is printed with it). Run it with
 * ever smaller {@code -Xmx} to find the heap it needs.
 *
 * <p>Arguments: N [units in flight per transaction].
 */
public final class TransactionPipelineProbe {
    private TransactionPipelineProbe() {}

    public static void main(String[] args) throws Exception {
        int edus = Integer.parseInt(args[0]);
        Buffer body = body(edus);
        Path dir = Files.createTempDirectory("pipeline-probe");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        TransactionJournal journal = TransactionJournal.open(dir.resolve("appservice.journal"),
                AppserviceConfig.DEFAULT_DEDUPE_WINDOW_EVENTS);
        CountDownLatch handled = new CountDownLatch(edus);
        EventHandler handler = new EventHandler() {
            @Override
            public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> onEphemeral(EphemeralEvent event, Delivery delivery) {
                handled.countDown();
                return Future.succeededFuture();
            }
        };
        TransactionProcessor processor = args.length > 1
                ? new TransactionProcessor(vertx, journal, handler, TransactionObserver.NONE, 30_000,
                        AppserviceLimits.DEFAULT_TRANSACTION_ACK_WAIT_MS, Integer.parseInt(args[1]))
                : new TransactionProcessor(vertx, journal, handler, TransactionObserver.NONE, 30_000,
                        AppserviceLimits.DEFAULT_TRANSACTION_ACK_WAIT_MS);
        AtomicLong lastTick = new AtomicLong(System.nanoTime());
        AtomicLong longestGap = new AtomicLong();
        vertx.setPeriodic(10, id -> {
            long now = System.nanoTime();
            longestGap.accumulateAndGet(now - lastTick.getAndSet(now), Math::max);
        });
        AtomicLong longestGc = longestGcPause();
        long start = System.nanoTime();
        Transaction txn = TransactionParser.parse("probe", body, AppserviceLimits.DEFAULTS);
        long parsed = System.nanoTime();
        processor.submit(txn).toCompletionStage().toCompletableFuture().get(1, TimeUnit.HOURS);
        long acked = System.nanoTime();
        handled.await(1, TimeUnit.HOURS);
        long done = System.nanoTime();
        System.out.printf("%d EDUs, %d bytes: parsed in %d ms, acknowledged after %d ms, handled after %d ms;"
                + " longest gap between ticks of the pipeline's event loop %d ms (longest GC pause %d ms)%n", edus,
                body.length(), ms(parsed - start), ms(acked - start), ms(done - start), ms(longestGap.get()),
                longestGc.get());
        journal.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        java.lang.ref.Reference.reachabilityFence(body);
    }

    /** The longest collection, in ms, from the collectors' notifications: a gap of the event loop may be one. */
    private static AtomicLong longestGcPause() {
        AtomicLong longest = new AtomicLong();
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                longest.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
            }, null, null);
        }
        return longest;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** {@code {"events":[],"ephemeral":[{"type":"m"},...]}}: 3 values of envelope, 2 per EDU. */
    private static Buffer body(int edus) {
        StringBuilder s = new StringBuilder(13 * edus + 32).append("{\"events\":[],\"ephemeral\":[");
        for (int i = 0; i < edus; i++) s.append(i == 0 ? "" : ",").append("{\"type\":\"m\"}");
        return Buffer.buffer(s.append("]}").toString());
    }
}
