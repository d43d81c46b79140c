package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Arbitrary datagrams into a started {@link DtlsServerSession}: it must ignore them or fail cleanly (one final
 * event, a reason), never crash its thread and never complete a handshake. Input: repeated
 * {@code [u16 length][bytes]}; the seeds hold a real ClientHello and a whole client side of a handshake.
 */
class DtlsServerSessionFuzzTest {
    private static final DtlsCertificate SERVER = DtlsCertificate.generate();
    private static final Fingerprint CLIENT = DtlsCertificate.generate().fingerprint();
    private static final DtlsSettings SETTINGS = DtlsSettings.DEFAULT.withReceiveQueueCapacity(4096);
    private static final long DRAIN_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Short: most inputs are read within microseconds, and this wait is most of an execution's time. */
    private static final long DRAIN_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /**
     * The sessions' threads, kept from one execution to the next (a new thread per execution cost more than most
     * inputs): a session ends (its final event) before the next one starts, so they rarely need more than one.
     */
    private static final ExecutorService SESSION_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dtls-fuzz");
        t.setDaemon(true);
        return t;
    });

    @FuzzTest(maxDuration = "60s")
    void garbageDatagrams(byte[] data) throws Exception {
        RecordingListener events = new RecordingListener();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Executor thread = r -> SESSION_THREADS.execute(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                crash.set(e);
            }
        });
        DtlsServerSession server = new DtlsServerSession(SERVER, List.of(CLIENT), (b, off, len) -> { }, events, SETTINGS);
        server.start(thread);

        for (int i = 0; i + 2 <= data.length; ) {
            int len = Math.min(((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF), data.length - i - 2);
            server.receive(data, i + 2, len);
            i += 2 + len;
        }
        long deadline = System.nanoTime() + DRAIN_DEADLINE_NANOS;
        while (server.pendingDatagrams() > 0 && !events.failed.isDone() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
        }
        assertThat(server.pendingDatagrams() == 0 || events.failed.isDone()).as("the session keeps reading").isTrue();
        server.close();
        events.awaitEnd();

        assertThat(crash.get()).isNull();
        assertThat(events.handshake).isNotDone();
        assertThat(events.finalEvents.get()).isEqualTo(1);
        if (events.failed.isDone()) {
            RecordingListener.Failure f = events.failed.get();
            assertThat(f.kind()).isNotEqualTo(FailureKind.TIMEOUT);
            assertThat(f.detail()).isNotBlank();
        }
    }
}
