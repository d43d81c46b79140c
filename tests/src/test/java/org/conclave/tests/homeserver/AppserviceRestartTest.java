package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.journal.JournalReader;
import org.conclave.appservice.journal.JournalRecord;
import org.conclave.appservice.registration.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a kill -9: the appservice runs as a child JVM with a durable {@link Recorder} as handler, is
 * frozen at a chosen point of processing a transaction and killed there with SIGKILL, then started again while the
 * homeserver double keeps retrying. The recorder's file (fsync'd before each hand-over completes) shows what the
 * handler saw in both lives.
 */
class AppserviceRestartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int SIGKILL_EXIT = 128 + 9;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private HomeserverDouble hs;
    private Path configFile;
    private Path record;
    private AppserviceConfig config;
    private final List<ChildProcess> children = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        int port = Fixtures.freePort();
        AppserviceConfig initial = Fixtures.config(dir, port, "http://127.0.0.1:1");
        Registration registration = Fixtures.registration(initial, "http://127.0.0.1:" + port);
        hs = HomeserverDouble.start(vertx, registration, Fixtures.SERVER_NAME, AppservicePusher.Options.defaults());
        config = initial.withHomeserver(hs.url(), initial.homeserverTimeoutMs(), initial.homeserverMaxAttempts(),
                initial.homeserverMaxBackoffMs());
        Fixtures.writeRegistration(config.registrationFile(), registration);
        configFile = dir.resolve("conclave.yaml");
        Files.writeString(configFile, Fixtures.yaml(config));
        record = dir.resolve("handled.jsonl");
        hs.pusher().pause();
    }

    @AfterEach
    void stop() throws Exception {
        for (ChildProcess child : children) child.close();
        hs.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ChildProcess child(String... freeze) throws Exception {
        ChildProcess child = ChildProcess.start(configFile, record, dir.resolve("child-" + children.size() + ".log"),
                freeze);
        children.add(child);
        return child;
    }

    /** Events the appservice is interested in: everything from the bot's invite on. */
    private List<String> interesting(String roomId) {
        return hs.timeline(roomId).stream()
                .dropWhile(e -> !hs.botUserId().equals(e.getString("state_key")))
                .map(e -> e.getString("event_id")).toList();
    }

    @Test
    void killedAfterProcessingButBeforeAcknowledgingNothingIsProcessedTwiceAndNothingIsLost() throws Exception {
        ScriptedClient alice = hs.client("alice");
        ScriptedClient bob = hs.client("bob");
        String one = alice.createRoom(RoomOptions.privateRoom("one").inviting(hs.botUserId()));
        String two = bob.createRoom(RoomOptions.privateRoom("two").inviting(hs.botUserId()));
        for (int i = 0; i < 4; i++) {
            alice.sendText(one, "one " + i);
            bob.sendText(two, "two " + i);
        }
        String last = alice.sendText(one, "last of the first transaction");
        List<String> firstTransaction = new ArrayList<>(interesting(one));
        firstTransaction.addAll(interesting(two));

        ChildProcess first = child("--freeze-before-ack", last);
        hs.pusher().resume();
        assertThat(first.awaitFrozen(TIMEOUT)).isEqualTo("before-ack 1");
        assertThat(first.kill9()).isEqualTo(SIGKILL_EXIT);

        // Killed between processing and acknowledging: all handed over, durably finished, never acknowledged.
        assertThat(Recorder.read(record)).extracting(Recorder.Entry::id)
                .containsExactlyInAnyOrderElementsOf(firstTransaction);
        assertThat(JournalReader.read(config.journalFile()).records())
                .anyMatch(r -> r.op() == JournalRecord.Op.TXN && "1".equals(r.note()));
        assertThat(hs.pusher().deliveries()).noneMatch(d -> d.status() == 200);

        child();
        hs.pusher().awaitIdle(TIMEOUT);
        String after = alice.sendText(one, "after the restart");
        hs.pusher().awaitIdle(TIMEOUT);

        List<Recorder.Entry> entries = Recorder.read(record);
        List<String> everything = new ArrayList<>(firstTransaction);
        everything.add(after);
        assertThat(entries).extracting(Recorder.Entry::id).containsExactlyInAnyOrderElementsOf(everything)
                .doesNotHaveDuplicates();
        assertThat(entries).noneMatch(Recorder.Entry::redelivered);
        assertOrderPerRoom(entries, Map.of(one, interesting(one), two, interesting(two)));
        // The homeserver saw transaction 1 fail (the kill), then acknowledged on a retry.
        List<AppservicePusher.Delivery> ones = hs.pusher().deliveries().stream()
                .filter(d -> d.txnId().equals("1")).toList();
        assertThat(ones.get(ones.size() - 1).status()).isEqualTo(200);
        assertThat(ones).filteredOn(d -> d.status() == 200).hasSize(1);
        assertThat(ones.size()).isGreaterThan(1);
    }

    @Test
    void killedWhileAnEventIsBeingHandledOnlyThatEventIsHandedOverAgainMarkedRedelivered() throws Exception {
        ScriptedClient alice = hs.client("alice");
        String room = alice.createRoom(RoomOptions.privateRoom("room").inviting(hs.botUserId()));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) sent.add(alice.sendText(room, "message " + i));
        String victim = sent.get(2);
        List<String> all = interesting(room);

        ChildProcess first = child("--freeze-after-handler", victim);
        hs.pusher().resume();
        assertThat(first.awaitFrozen(TIMEOUT)).isEqualTo("after-handler " + victim);
        assertThat(first.kill9()).isEqualTo(SIGKILL_EXIT);
        List<String> beforeKill = Recorder.read(record).stream().map(Recorder.Entry::id).toList();
        assertThat(beforeKill).isEqualTo(all.subList(0, all.indexOf(victim) + 1));

        child();
        hs.pusher().awaitIdle(TIMEOUT);

        List<Recorder.Entry> entries = Recorder.read(record);
        Map<String, List<Recorder.Entry>> byId = entries.stream()
                .collect(Collectors.groupingBy(Recorder.Entry::id));
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(all);
        for (String id : all) {
            List<Recorder.Entry> seen = byId.get(id);
            if (id.equals(victim)) {
                // Handed over, then killed before it was recorded done: again, and marked so.
                assertThat(seen).extracting(Recorder.Entry::redelivered).containsExactly(false, true);
            } else {
                assertThat(seen).as(id).hasSize(1);
            }
        }
        // Never two first-time deliveries of one event.
        assertThat(entries.stream().filter(e -> !e.redelivered()).map(Recorder.Entry::id))
                .doesNotHaveDuplicates();
        assertOrderPerRoom(entries.subList(beforeKill.size(), entries.size()),
                Map.of(room, all.subList(all.indexOf(victim), all.size())));
    }

    private static void assertOrderPerRoom(List<Recorder.Entry> entries, Map<String, List<String>> expected) {
        Map<String, List<String>> byRoom = entries.stream().collect(Collectors.groupingBy(Recorder.Entry::room,
                Collectors.mapping(Recorder.Entry::id, Collectors.toList())));
        expected.forEach((room, ids) -> assertThat(byRoom.get(room)).as(room).containsExactlyElementsOf(ids));
    }
}
