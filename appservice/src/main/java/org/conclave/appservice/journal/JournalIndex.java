package org.conclave.appservice.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the journal knows, in memory: units started but not done, the most recent done units and the most recent
 * finished transactions (each bounded by the dedupe window, oldest forgotten first). Not thread-safe: the journal's
 * writer thread owns it (and the opening thread before that).
 */
final class JournalIndex {
    private final int window;
    private final Set<String> started = new LinkedHashSet<>();
    private final Set<String> done;
    private final Set<String> txns;

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
            }
            case TXN -> {
                txns.remove(record.key());
                txns.add(record.key());
            }
        }
    }

    UnitStatus status(String unitKey) {
        if (done.contains(unitKey)) return UnitStatus.DONE;
        return started.contains(unitKey) ? UnitStatus.STARTED : UnitStatus.NEW;
    }

    boolean txnDone(String fingerprint) {
        return txns.contains(fingerprint);
    }

    int liveRecords() {
        return started.size() + done.size() + txns.size();
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
