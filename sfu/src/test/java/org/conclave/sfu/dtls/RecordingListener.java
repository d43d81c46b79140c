package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;

/** Records a session's events as futures that tests wait on with a deadline. */
final class RecordingListener implements DtlsSession.Listener {
    static final long DEADLINE_SECONDS = 20;

    record Handshake(SrtpProfile profile, SrtpKeys keys) {
    }

    record Failure(FailureKind kind, String detail) {
    }

    final CompletableFuture<Handshake> handshake = new CompletableFuture<>();
    final CompletableFuture<Failure> failed = new CompletableFuture<>();
    final CompletableFuture<Boolean> closed = new CompletableFuture<>();
    final LinkedBlockingQueue<byte[]> data = new LinkedBlockingQueue<>();
    final AtomicInteger finalEvents = new AtomicInteger();

    @Override
    public void onHandshakeComplete(SrtpProfile profile, SrtpKeys keys) {
        handshake.complete(new Handshake(profile, keys));
    }

    @Override
    public void onFailed(FailureKind kind, String detail) {
        finalEvents.incrementAndGet();
        failed.complete(new Failure(kind, detail));
    }

    @Override
    public void onApplicationData(byte[] b, int off, int len) {
        data.add(Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public void onClosed() {
        finalEvents.incrementAndGet();
        closed.complete(true);
    }

    /** Waits for the handshake; fails the test with the session's own reason if it failed instead. */
    Handshake awaitHandshake() throws Exception {
        Object first = CompletableFuture.anyOf(handshake, failed, closed).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(first).as("handshake outcome").isInstanceOf(Handshake.class);
        return (Handshake) first;
    }

    Failure awaitFailure() throws Exception {
        Object first = CompletableFuture.anyOf(failed, closed).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(first).as("final event").isInstanceOf(Failure.class);
        return (Failure) first;
    }

    void awaitClosed() throws Exception {
        Object first = CompletableFuture.anyOf(failed, closed).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(first).as("final event").isEqualTo(Boolean.TRUE);
    }

    /** Waits for either final event. */
    void awaitEnd() throws Exception {
        CompletableFuture.anyOf(failed, closed).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    byte[] awaitData() throws InterruptedException {
        byte[] d = data.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(d).as("application data within the deadline").isNotNull();
        return d;
    }
}
