package org.conclave.sfu.conference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs keyed tasks fairly: the keys with work are served in turn, one task each per turn, and each
 * key's tasks in the order they were submitted. A key that gets work joins the end of the turn, so with shallow
 * queues tasks run in submission order, and a key with a hundred tasks queued delays another key's next task by one
 * task, not a hundred. Tasks of different keys have no order between them.
 *
 * <p>Submitting never blocks: tasks go to a thread-safe inbox; the per-key queues and the turn are the worker thread's
 * alone. {@link #execute} after {@link #shutdownNow} throws {@link RejectedExecutionException}; tasks still queued at
 * shutdown are dropped. A task that throws is logged; the thread goes on.
 */
final class FairExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(FairExecutor.class);

    private record Task(Object key, Runnable work) {
    }

    private final LinkedBlockingQueue<Task> inbox = new LinkedBlockingQueue<>();
    // Worker thread only.
    private final Map<Object, ArrayDeque<Runnable>> queues = new HashMap<>();
    private final ArrayDeque<Object> turn = new ArrayDeque<>();
    private final List<Task> drained = new ArrayList<>();

    private final Thread thread;
    private volatile boolean shutdown;

    FairExecutor(ThreadFactory threads) {
        this.thread = threads.newThread(this::loop);
        thread.start();
    }

    /** Queues {@code work} under {@code key} (not null); any thread. */
    void execute(Object key, Runnable work) {
        if (key == null || work == null) throw new NullPointerException();
        if (shutdown) throw new RejectedExecutionException("stopped");
        Task task = new Task(key, work);
        inbox.add(task);
        // Lost the race with shutdownNow: take it back if the worker did not (as ThreadPoolExecutor does).
        if (shutdown && inbox.remove(task)) throw new RejectedExecutionException("stopped");
    }

    /** Stops the thread (interrupting the task it runs) and drops what is queued. */
    void shutdownNow() {
        shutdown = true;
        thread.interrupt();
    }

    boolean isShutdown() {
        return shutdown;
    }

    private void loop() {
        while (!shutdown) {
            if (turn.isEmpty()) {
                try {
                    enqueue(inbox.take());
                } catch (InterruptedException e) {
                    continue; // shutdown
                }
            }
            drainInbox();
            Object key = turn.pollFirst();
            ArrayDeque<Runnable> queue = queues.get(key);
            Runnable work = queue.pollFirst();
            if (queue.isEmpty()) queues.remove(key);
            else turn.addLast(key);
            run(work);
        }
        inbox.clear();
        queues.clear();
        turn.clear();
    }

    private void drainInbox() {
        inbox.drainTo(drained);
        for (Task t : drained) enqueue(t);
        drained.clear();
    }

    private void enqueue(Task t) {
        ArrayDeque<Runnable> queue = queues.get(t.key());
        if (queue == null) {
            queue = new ArrayDeque<>();
            queues.put(t.key(), queue);
            turn.addLast(t.key());
        }
        queue.addLast(t.work());
    }

    private static void run(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vm) throw vm;
            LOG.warn("control-thread task failed", e);
        }
    }
}
