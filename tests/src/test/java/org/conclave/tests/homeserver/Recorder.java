package org.conclave.tests.homeserver;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;

/**
 * Test event handler: records every hand-over, in memory and (optionally) durably in a file of JSON lines, fsync'd
 * before the hand-over completes, so that a record survives a kill -9 of the process it was written in.
 */
public final class Recorder implements EventHandler {
    /** One hand-over; {@code id} is the event id, or {@code edu:<type>} / {@code to-device:<type>}. */
    public record Entry(String id, String room, boolean redelivered, String txnId) {
        JsonObject json() {
            return new JsonObject().put("id", id).put("room", room).put("redelivered", redelivered)
                    .put("txn", txnId);
        }

        static Entry of(JsonObject json) {
            return new Entry(json.getString("id"), json.getString("room"), json.getBoolean("redelivered"),
                    json.getString("txn"));
        }
    }

    private final Vertx vertx;
    private final Path file;
    private final Consumer<Entry> afterRecord;
    private final List<Entry> entries = new ArrayList<>();

    /**
     * @param file where to record durably, or null for memory only
     * @param afterRecord called after each durable record (on a worker thread), e.g. to freeze for a kill
     */
    public Recorder(Vertx vertx, Path file, Consumer<Entry> afterRecord) {
        this.vertx = vertx;
        this.file = file;
        this.afterRecord = afterRecord;
    }

    public static Recorder inMemory(Vertx vertx) {
        return new Recorder(vertx, null, e -> {});
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public List<String> ids() {
        return entries().stream().map(Entry::id).toList();
    }

    /** The durable record of a file written by any process. */
    public static List<Entry> read(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        List<Entry> result = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) result.add(Entry.of(new JsonObject(line)));
        }
        return result;
    }

    @Override
    public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
        return record(new Entry(event.eventId(), event.roomId(), delivery.redelivered(), delivery.txnId()));
    }

    @Override
    public Future<Void> onEphemeral(EphemeralEvent event, Delivery delivery) {
        return record(new Entry("edu:" + event.type(), event.roomId(), delivery.redelivered(), delivery.txnId()));
    }

    @Override
    public Future<Void> onToDevice(EphemeralEvent message, Delivery delivery) {
        return record(new Entry("to-device:" + message.type(), null, delivery.redelivered(), delivery.txnId()));
    }

    private Future<Void> record(Entry entry) {
        synchronized (this) {
            entries.add(entry);
        }
        if (file == null) return Future.succeededFuture();
        // fsync is blocking: on a worker, never on the event loop (ordered: the room's order is kept).
        return vertx.executeBlocking(() -> {
            append(entry);
            afterRecord.accept(entry);
            return null;
        });
    }

    private void append(Entry entry) {
        byte[] line = (entry.json().encode() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
