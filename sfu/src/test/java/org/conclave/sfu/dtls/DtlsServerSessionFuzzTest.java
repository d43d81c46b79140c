package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.concurrent.Executor;
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

    @FuzzTest(maxDuration = "60s")
    void garbageDatagrams(byte[] data) throws Exception {
        RecordingListener events = new RecordingListener();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Executor thread = r -> {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } catch (Throwable e) {
                    crash.set(e);
                }
            }, "dtls-fuzz");
            t.setDaemon(true);
            t.start();
        };
        DtlsServerSession server = new DtlsServerSession(SERVER, List.of(CLIENT), (b, off, len) -> { }, events, SETTINGS);
        server.start(thread);

        for (int i = 0; i + 2 <= data.length; ) {
            int len = Math.min(((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF), data.length - i - 2);
            server.receive(data, i + 2, len);
            i += 2 + len;
        }
        long deadline = System.nanoTime() + DRAIN_DEADLINE_NANOS;
        while (server.pendingDatagrams() > 0 && !events.failed.isDone() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
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
