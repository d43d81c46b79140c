package org.conclave.appservice.journal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record of what the appservice processed: an append-only file of {@link JournalRecord} lines, written
 * and fsync'd by one thread of its own (never an event loop), with group commit: every request queued while a write
 * is under way goes out in the next write and shares one fsync. Results are delivered on the caller's Vert.x context.
 *
 * <p>The file is rewritten (compacted) to the live records once it holds more than twice as many plus
 * {@value #COMPACT_MIN_RECORDS}. A lock file next to it keeps a second process off.
 */
public final class TransactionJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionJournal.class);
    static final int COMPACT_MIN_RECORDS = 10_000;
    private static final int COMPACT_FACTOR = 2;
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    /**
     * What {@link #begin} found.
     *
     * @param txnDone the transaction was finished before: nothing to do, acknowledge it
     * @param statuses each requested unit's status before this call (empty when {@code txnDone})
     */
    public record Begin(boolean txnDone, Map<String, UnitStatus> statuses) {}

    private final Path file;
    private final JournalIndex index;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel channel;
    private long size;
    private long fileRecords;
    private boolean broken;
    private final ExecutorService writer;
    private final ConcurrentLinkedQueue<Request<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TransactionJournal(Path file, JournalIndex index, FileChannel lockChannel, FileLock lock,
            FileChannel channel, long size, long fileRecords) {
        this.file = file;
        this.index = index;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.channel = channel;
        this.size = size;
        this.fileRecords = fileRecords;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "conclave-journal");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (creating if missing) and replays the journal; blocks, so call it at start-up, not on an event loop.
     * A torn last write is cut off (and logged).
     *
     * @param window how many done units and finished transactions to remember
     */
    public static TransactionJournal open(Path file, int window) throws JournalException {
        Path path = file.toAbsolutePath().normalize();
        Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(path.getParent());
            lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new JournalException(path + " is in use by another Conclave process (lock " + lockPath
                        + "); stop it, or give this one its own appservice.journal_path");
            }
            JournalIndex index = new JournalIndex(window);
            JournalReader.Result read = JournalReader.read(path);
            read.records().forEach(index::apply);
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            if (channel.size() > read.intactBytes()) {
                LOG.warn("{}: cut off {} damaged line(s) after byte {} (an interrupted last write); the events they"
                        + " concern will be handed over again, marked as redelivered", path, read.droppedLines(),
                        read.intactBytes());
                channel.truncate(read.intactBytes());
                channel.force(true);
            }
            channel.position(read.intactBytes());
            return new TransactionJournal(path, index, lockChannel, lock, channel, read.intactBytes(),
                    read.records().size());
        } catch (JournalException e) {
            throw e;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new JournalException("cannot open the transaction journal " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return file;
    }

    /**
     * Looks a transaction up; unless it was finished, records every NEW unit as started, durably, before the future
     * completes (so that a crash after the handler saw a unit marks it as possibly seen).
     */
    public Future<Begin> begin(Context context, String fingerprint, List<String> unitKeys) {
        return begin(context, fingerprint, unitKeys, null);
    }

    /**
     * As {@link #begin(Context, String, List)} for one slice of a transaction: {@code positions[i]} is the position of
     * {@code unitKeys.get(i)} in it, and a position recorded done for this transaction ({@link #done(Context, String,
     * String, String, int)}) counts as done however long ago, until the transaction is finished.
     */
    public Future<Begin> begin(Context context, String fingerprint, List<String> unitKeys, int[] positions) {
        return submit(context, true, idx -> {
            if (idx.txnDone(fingerprint)) return new Prepared<>(List.of(), new Begin(true, Map.of()));
            Map<String, UnitStatus> statuses = new LinkedHashMap<>();
            List<JournalRecord> records = new ArrayList<>();
            for (int i = 0; i < unitKeys.size(); i++) {
                String key = unitKeys.get(i);
                UnitStatus status = positions == null ? idx.status(key) : idx.status(key, fingerprint, positions[i]);
                statuses.put(key, status);
                if (status == UnitStatus.NEW) records.add(JournalRecord.start(key));
            }
            return new Prepared<>(records, new Begin(false, statuses));
        });
    }

    /**
     * Records a unit as processed. Written at once but not fsync'd on its own: the transaction's {@link #finish}
     * makes it durable before the homeserver is acknowledged; lost before that, the unit is redelivered.
     */
    public Future<Void> done(Context context, String unitKey, String outcome) {
        return submit(context, false, idx -> new Prepared<>(List.of(JournalRecord.done(unitKey, outcome)), null));
    }

    /**
     * As {@link #done(Context, String, String)}, and position {@code position} of transaction {@code fingerprint} is
     * remembered as done until that transaction is finished, beyond the dedupe window.
     */
    public Future<Void> done(Context context, String unitKey, String outcome, String fingerprint, int position) {
        return submit(context, false, idx -> new Prepared<>(
                List.of(JournalRecord.done(unitKey, outcome, fingerprint, position)), null));
    }

    /** Records a transaction as processed, durably (with every record before it). */
    public Future<Void> finish(Context context, String fingerprint, String txnId) {
        return submit(context, true, idx -> new Prepared<>(List.of(JournalRecord.txn(fingerprint, txnId)), null));
    }

    /** Waits for queued writes, then closes the file and releases the lock. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        writer.execute(() -> {
            try {
                channel.force(false);
            } catch (IOException e) {
                LOG.warn("{}: final sync failed: {}", file, e.toString());
            }
            closeQuietly(channel);
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debug("lock release failed", e);
            }
            closeQuietly(lockChannel);
        });
        writer.shutdown();
        try {
            if (!writer.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{}: writer did not finish within {} s", file, CLOSE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> Future<T> submit(Context context, boolean durable, Preparer<T> preparer) {
        Promise<T> promise = Promise.promise();
        if (closed.get()) {
            promise.fail(new JournalException(file + " is closed"));
            return promise.future();
        }
        queue.add(new Request<>(context, durable, preparer, promise));
        if (scheduled.compareAndSet(false, true)) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // Closed meanwhile: answer whatever is still queued.
                for (Request<?> r; (r = queue.poll()) != null; ) r.fail(new JournalException(file + " is closed"));
            }
        }
        return promise.future();
    }

    /** Writer thread: takes everything queued, writes it in one go, one fsync if anyone needs it, then answers. */
    private void drain() {
        while (true) {
            List<Request<?>> batch = new ArrayList<>();
            for (Request<?> r; (r = queue.poll()) != null; ) batch.add(r);
            if (batch.isEmpty()) {
                scheduled.set(false);
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) return;
                continue;
            }
            writeBatch(batch);
            maybeCompact();
        }
    }

    private void writeBatch(List<Request<?>> batch) {
        if (broken) {
            batch.forEach(r -> r.fail(new JournalException(file + " failed earlier; restart Conclave")));
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Object> results = new ArrayList<>(batch.size());
        boolean durable = false;
        int records = 0;
        for (Request<?> r : batch) {
            Prepared<?> prepared = r.preparer.prepare(index);
            for (JournalRecord record : prepared.records) {
                bytes.writeBytes(record.encode());
                index.apply(record);
                records++;
            }
            results.add(prepared.result);
            // A request that writes nothing needs no sync of its own: whatever it relied on is made durable by
            // the sync that precedes any acknowledgement (finish).
            durable |= r.durable && !prepared.records.isEmpty();
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) channel.write(buffer);
            if (durable) channel.force(false);
            size += bytes.size();
            fileRecords += records;
        } catch (IOException e) {
            LOG.error("{}: write failed ({}); the homeserver will retry the transactions concerned", file,
                    e.toString());
            recover();
            batch.forEach(r -> r.fail(new JournalException(file + ": write failed: " + e.getMessage(), e)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) batch.get(i).succeed(results.get(i));
    }

    /** After a failed write: cut the file back to what was written before and rebuild the index from it. */
    private void recover() {
        try {
            channel.truncate(size);
            channel.position(size);
            channel.force(false);
            JournalReader.Result read = JournalReader.read(file);
            JournalIndex rebuilt = new JournalIndex(index.window());
            read.records().forEach(rebuilt::apply);
            index.resetTo(rebuilt);
            fileRecords = read.records().size();
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot recover from the failed write ({}); transactions fail until Conclave restarts",
                    file, e.toString());
            broken = true;
        }
    }

    private void maybeCompact() {
        if (broken || fileRecords <= (long) COMPACT_FACTOR * index.liveRecords() + COMPACT_MIN_RECORDS) return;
        Path tmp = file.resolveSibling(file.getFileName() + ".compact");
        try {
            List<JournalRecord> live = index.snapshot();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            live.forEach(r -> bytes.writeBytes(r.encode()));
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
                while (buffer.hasRemaining()) out.write(buffer);
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
            closeQuietly(channel);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            size = bytes.size();
            channel.position(size);
            LOG.debug("{}: compacted {} records to {}", file, fileRecords, live.size());
            fileRecords = live.size();
        } catch (IOException e) {
            // The old file is still whole (the move is atomic): go on appending to it and try again later.
            LOG.warn("{}: compaction failed: {}", file, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stale .compact file is overwritten next time
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be opened; the rename is still atomic.
            LOG.debug("directory sync of {} not possible: {}", dir, e.toString());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }

    @FunctionalInterface
    private interface Preparer<T> {
        /** Writer thread: decides the records to write from the index as it is now. */
        Prepared<T> prepare(JournalIndex index);
    }

    private record Prepared<T>(List<JournalRecord> records, T result) {}

    private static final class Request<T> {
        final Context context;
        final boolean durable;
        final Preparer<T> preparer;
        final Promise<T> promise;

        Request(Context context, boolean durable, Preparer<T> preparer, Promise<T> promise) {
            this.context = context;
            this.durable = durable;
            this.preparer = preparer;
            this.promise = promise;
        }

        @SuppressWarnings("unchecked")
        void succeed(Object result) {
            context.runOnContext(v -> promise.complete((T) result));
        }

        void fail(Throwable failure) {
            context.runOnContext(v -> promise.fail(failure));
        }
    }
}
