package org.conclave.appservice.journal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the journal knows, in memory: units started but not done, the most recent done units and the most recent
 * finished transactions (each bounded by the dedupe window, oldest forgotten first), and, for each transaction handed
 * over but not finished, which of its positions are done (one bit each, never forgotten by the window: a transaction
 * of more units than the window, cut by a crash, must not hand its earliest units over again). Not thread-safe: the
 * journal's writer thread owns it (and the opening thread before that).
 */
final class JournalIndex {
    /**
     * Unfinished transactions remembered: a homeserver retries one until it is acknowledged (Synapse keeps one in
     * flight), so more are only the leftovers of retries that changed (Synapse restarting its txnIds at 1).
     */
    static final int MAX_OPEN_TRANSACTIONS = 16;

    private final int window;
    private final Set<String> started = new LinkedHashSet<>();
    private final Set<String> done;
    private final Set<String> txns;
    private final Map<String, Progress> open = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Progress> eldest) {
            return size() > MAX_OPEN_TRANSACTIONS;
        }
    };

    JournalIndex(int window) {
        this.window = window;
        this.done = bounded(window);
        this.txns = bounded(window);
    }

    void apply(JournalRecord record) {
        switch (record.op()) {
            case START -> {
                if (!done.contains(record.key())) started.add(record.key());
            }
            case DONE -> {
                started.remove(record.key());
                done.remove(record.key()); // re-insert: a repeated key counts as recent again
                done.add(record.key());
                if (record.txn() != null) progress(record.txn(), record.index(), 1);
            }
            case TXN -> {
                txns.remove(record.key());
                txns.add(record.key());
                open.remove(record.key());
            }
            case RANGE -> progress(record.key(), record.index(), record.count());
        }
    }

    UnitStatus status(String unitKey) {
        if (done.contains(unitKey)) return UnitStatus.DONE;
        return started.contains(unitKey) ? UnitStatus.STARTED : UnitStatus.NEW;
    }

    /** As {@link #status(String)}, and done when position {@code index} of unfinished {@code fingerprint} is. */
    UnitStatus status(String unitKey, String fingerprint, int index) {
        Progress progress = open.get(fingerprint);
        if (progress != null && progress.bits.get(index)) return UnitStatus.DONE;
        return status(unitKey);
    }

    boolean txnDone(String fingerprint) {
        return txns.contains(fingerprint);
    }

    int liveRecords() {
        int ranges = 0;
        for (Progress p : open.values()) ranges += p.runs;
        return started.size() + done.size() + txns.size() + ranges;
    }

    int window() {
        return window;
    }

    /** The records that rebuild this index, oldest first (what a compacted file holds). */
    List<JournalRecord> snapshot() {
        List<JournalRecord> records = new ArrayList<>(liveRecords());
        for (String key : done) records.add(JournalRecord.done(key, null));
        for (String key : started) records.add(JournalRecord.start(key));
        for (String key : txns) records.add(JournalRecord.txn(key, null));
        open.forEach((fingerprint, p) -> {
            for (int from = p.bits.nextSetBit(0); from >= 0; from = p.bits.nextSetBit(from)) {
                int to = p.bits.nextClearBit(from);
                records.add(JournalRecord.range(fingerprint, from, to - from));
                from = to;
            }
        });
        return records;
    }

    /** Replaces this index's state with another's (same window). */
    void resetTo(JournalIndex other) {
        started.clear();
        started.addAll(other.started);
        done.clear();
        done.addAll(other.done);
        txns.clear();
        txns.addAll(other.txns);
        open.clear();
        open.putAll(other.open);
    }

    /** Marks positions done, unless the transaction finished (a unit still running when it was acknowledged). */
    private void progress(String fingerprint, int from, int count) {
        if (txns.contains(fingerprint)) return;
        Progress p = open.get(fingerprint);
        if (p == null) {
            p = new Progress();
            open.put(fingerprint, p);
        }
        for (int i = from; i < from + count; i++) p.set(i);
    }

    /** The done positions of one unfinished transaction, with the number of runs they form (records to compact to). */
    private static final class Progress {
        final BitSet bits = new BitSet();
        int runs;

        void set(int i) {
            if (bits.get(i)) return;
            boolean before = i > 0 && bits.get(i - 1);
            boolean after = bits.get(i + 1);
            runs += 1 - (before ? 1 : 0) - (after ? 1 : 0);
            bits.set(i);
        }
    }

    private static Set<String> bounded(int max) {
        return java.util.Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > max;
            }
        });
    }
}
