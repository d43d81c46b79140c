package org.conclave.bench.target;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs set-up work for many participants a few at a time, and fails with the first failure. */
final class Parallel {
    /** Connections set up at once: enough to hide round trips, few enough not to time out handshakes on 2 cores. */
    static final int WIDTH = 8;

    interface Work<T> {
        void run(T item) throws Exception;
    }

    private Parallel() {}

    static <T> void forEach(List<T> items, Work<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(WIDTH, items.size())), r -> {
            Thread t = new Thread(r, "bench-setup");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> {
                work.run(item);
                return null;
            }));
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
