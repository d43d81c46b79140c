package org.conclave.appservice.txn;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One FIFO queue per room: a task starts when the previous task of its room has finished (whatever its outcome);
 * rooms do not wait for each other. Confined to one Vert.x context; a room's entry disappears when its queue empties.
 */
final class RoomQueues {
    private final Map<String, Future<Void>> tails = new HashMap<>();

    Future<Void> submit(String room, Supplier<Future<Void>> task) {
        Future<Void> tail = tails.get(room);
        Future<Void> next = tail == null ? run(task) : tail.transform(ignored -> run(task));
        tails.put(room, next);
        next.onComplete(ignored -> tails.remove(room, next));
        return next;
    }

    int activeRooms() {
        return tails.size();
    }

    private static Future<Void> run(Supplier<Future<Void>> task) {
        try {
            Future<Void> result = task.get();
            return result == null ? Future.failedFuture(new NullPointerException("task returned no future")) : result;
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
