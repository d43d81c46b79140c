package org.conclave.bench.signal;

import java.util.ArrayList;
import java.util.List;

/**
 * Events of every endpoint in order, for one long-polling reader: what it has read (asking for events after a
 * sequence number) is forgotten, so the SDP the queue holds does not grow with the run and count in the server's
 * memory per participant. Signalling only: locks are fine here.
 */
public final class EventQueue {
    /** Old events are forgotten beyond this many; the reader is never that far behind. */
    static final int KEEP = 100_000;

    private final List<BenchEvent> events = new ArrayList<>();
    private long next = 1;

    public synchronized void add(String endpoint, String type, String sdp) {
        events.add(new BenchEvent(next++, endpoint, type, sdp));
        if (events.size() > KEEP) events.subList(0, events.size() - KEEP).clear();
        notifyAll();
    }

    /** Events with seq > {@code after}, waiting up to {@code timeoutMillis} for the first one; older ones are dropped. */
    public synchronized List<BenchEvent> after(long after, long timeoutMillis) throws InterruptedException {
        int read = 0;
        while (read < events.size() && events.get(read).seq() <= after) read++;
        events.subList(0, read).clear();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<BenchEvent> out = new ArrayList<>();
            for (BenchEvent e : events) {
                if (e.seq() > after) out.add(e);
            }
            long left = deadline - System.currentTimeMillis();
            if (!out.isEmpty() || left <= 0) return out;
            wait(left);
        }
    }

    /** Events held (not yet read). */
    synchronized int size() {
        return events.size();
    }
}
