package org.conclave.sfu.dtls;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS-SRTP association over Bouncy Castle. The handshake (Bouncy Castle's is blocking) holds a thread of the
 * executor given to {@link #start}; once connected the session holds none: each datagram that arrives schedules a
 * short task on the same executor that reads what is queued (answering retransmitted flights, delivering application
 * data, noticing close_notify) and returns. So a bounded pool serves any number of connected sessions.
 *
 * <p>Lifecycle: {@code NEW -> HANDSHAKING -> CONNECTED -> CLOSED}, or {@code FAILED} from any non-final state.
 * The listener hears {@link Listener#onHandshakeComplete} at most once and then exactly one final event:
 * {@link Listener#onClosed} (close() or the peer's close_notify) or {@link Listener#onFailed}. All listener
 * calls come from the executor's threads, one at a time, except {@code onClosed} for a session closed before it
 * started.
 */
public abstract sealed class DtlsSession permits DtlsServerSession, DtlsClientSession {
    /** Bouncy Castle's wait for a read after the handshake; ours never waits (it throws WouldBlock when empty). */
    private static final int READ_WAIT_MILLIS = 1;
    private static final Logger LOG = LoggerFactory.getLogger(DtlsSession.class);

    /** Events of one session. Implementations must not block the session thread for long. */
    public interface Listener {
        /** The handshake finished, the peer's fingerprint matched, and these are the SRTP keys. */
        void onHandshakeComplete(SrtpProfile profile, SrtpKeys keys);

        /** Final: the session failed; {@code detail} is a sentence for logs and operators. */
        void onFailed(FailureKind kind, String detail);

        /** A DTLS application-data record (SCTP). The array is reused after return: copy what you keep. */
        void onApplicationData(byte[] b, int off, int len);

        /** Final: the session ended normally (local close() or the peer's close_notify). */
        void onClosed();
    }

    public enum State { NEW, HANDSHAKING, CONNECTED, CLOSED, FAILED }

    final DtlsCertificate certificate;
    final List<Fingerprint> remoteFingerprints;
    final DtlsSettings settings;
    final HandshakeOutcome outcome = new HandshakeOutcome();
    private final Listener listener;
    private final QueueDatagramTransport transport;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile DTLSTransport dtls;
    private volatile Executor executor;
    /** A read task is scheduled or running: at most one at a time, so records are read in order. */
    private final AtomicBoolean reading = new AtomicBoolean();
    /**
     * The read tasks' buffer: one per thread of the executor, not per session (8 KB each), since a read task does
     * not outlive its run and the listener copies what it keeps.
     */
    private static final ThreadLocal<byte[]> READ_BUFFER =
            ThreadLocal.withInitial(() -> new byte[QueueDatagramTransport.MAX_DATAGRAM]);

    DtlsSession(DtlsCertificate certificate, List<Fingerprint> remoteFingerprints, PacketSender sender,
                Listener listener, DtlsSettings settings) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.remoteFingerprints = List.copyOf(remoteFingerprints);
        if (this.remoteFingerprints.isEmpty()) {
            throw new IllegalArgumentException("the peer's SDP fingerprint is required");
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = new QueueDatagramTransport(settings.receiveQueueCapacity(),
                Objects.requireNonNull(sender, "sender"));
    }

    /** Runs the Bouncy Castle handshake over {@code transport}; returns the connected transport. */
    abstract DTLSTransport handshake(QueueDatagramTransport transport) throws IOException;

    /** "client" or "server", for messages. */
    abstract String role();

    /** Starts the handshake on a thread of {@code executor}; later reads run there too, as short tasks. */
    public final void start(Executor executor) {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            throw new IllegalStateException("session already started or closed");
        }
        this.executor = executor;
        executor.execute(this::run);
    }

    /**
     * Packet thread: hands over one received DTLS datagram (first byte 20..63). Copies it into a bounded queue;
     * never blocks: when the queue is full the datagram is dropped and counted ({@link #droppedDatagrams}).
     */
    public final void receive(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        transport.offer(b, off, len);
    }

    /**
     * Sends one application-data record (SCTP), at most {@link #maxApplicationDataSize()} bytes.
     * Callable from any thread once connected; it waits at most for the session thread to finish the record in hand.
     *
     * @return false if the session is not connected, or the send failed (the session then fails)
     */
    public final boolean sendApplicationData(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        DTLSTransport t = dtls;
        if (t == null || state.get() != State.CONNECTED) {
            return false;
        }
        transport.ioLock.lock();
        try {
            int limit = t.getSendLimit();
            if (len > limit) {
                throw new IllegalArgumentException("application data of " + len + " bytes exceeds the DTLS record "
                        + "limit of " + limit);
            }
            t.send(b, off, len);
            return true;
        } catch (IOException e) {
            outcome.fail(classifyKind(e), "sending application data failed: " + describe(e));
            transport.requestClose(false);
            return false;
        } finally {
            transport.ioLock.unlock();
        }
    }

    /** Most bytes one {@link #sendApplicationData} call may carry (0 before the handshake completes). */
    public final int maxApplicationDataSize() {
        DTLSTransport t = dtls;
        if (t == null) {
            return 0;
        }
        transport.ioLock.lock();
        try {
            return t.getSendLimit();
        } catch (IOException e) {
            return 0;
        } finally {
            transport.ioLock.unlock();
        }
    }

    /**
     * Ends the session: once connected, sends close_notify; during the handshake, abandons it silently. Returns at
     * once; {@link Listener#onClosed} follows from the session thread. Idempotent; callable from any thread.
     */
    public final void close() {
        if (state.compareAndSet(State.NEW, State.CLOSED)) {
            listener.onClosed();
            return;
        }
        transport.requestClose(state.get() == State.HANDSHAKING);
    }

    public final State state() {
        return state.get();
    }

    /** Datagrams dropped because the receive queue was full or they were too large. */
    public final long droppedDatagrams() {
        return transport.dropped();
    }

    /** Datagrams received but not yet read by the session thread. */
    public final int pendingDatagrams() {
        return transport.pending();
    }

    private void run() {
        DTLSTransport t;
        try {
            t = handshake(transport);
        } catch (QueueDatagramTransport.SessionEnded e) {
            if (transport.isCloseRequested()) {
                finish(outcome.failureKind() == null ? State.CLOSED : State.FAILED, null, null);
            } else {
                finish(State.FAILED, FailureKind.OTHER, "the DTLS " + role() + " closed the connection during the handshake");
            }
            return;
        } catch (Throwable e) {
            finishFailed(e);
            return;
        }
        if (outcome.keys() == null) {
            finish(State.FAILED, FailureKind.OTHER, "DTLS handshake ended without SRTP keys");
            return;
        }
        dtls = t;
        if (transport.isCloseRequested()) {
            transport.unmute();
            closeQuietly(t);
            finish(State.CLOSED, null, null);
            return;
        }
        if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
            closeQuietly(t);
            return;
        }
        try {
            listener.onHandshakeComplete(outcome.profile(), outcome.keys());
        } catch (RuntimeException e) {
            LOG.warn("DTLS listener failed in onHandshakeComplete", e);
        }
        transport.readWithoutWaiting(this::scheduleRead); // this thread goes back to the pool
    }

    private void scheduleRead() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::readQueued);
        } catch (RejectedExecutionException e) {
            reading.set(false); // shutting down
        }
    }

    /** Reads every queued datagram, then returns (WouldBlock); again when more arrive. */
    private void readQueued() {
        State s = state.get();
        if (s == State.CLOSED || s == State.FAILED) {
            return; // ended: stays marked as reading, never scheduled again
        }
        DTLSTransport t = dtls;
        byte[] buf = READ_BUFFER.get();
        try {
            while (true) {
                int n;
                transport.ioLock.lock();
                try {
                    n = t.receive(buf, 0, buf.length, READ_WAIT_MILLIS);
                } finally {
                    transport.ioLock.unlock();
                }
                if (n > 0) {
                    try {
                        listener.onApplicationData(buf, 0, n);
                    } catch (RuntimeException e) {
                        LOG.warn("DTLS listener failed in onApplicationData", e);
                    }
                }
            }
        } catch (QueueDatagramTransport.WouldBlock e) {
            reading.set(false);
            if (transport.hasWork()) {
                scheduleRead(); // arrived between the last read and the flag's release
            }
        } catch (QueueDatagramTransport.SessionEnded e) {
            if (!transport.isClosed()) {
                transport.unmute(); // close() may have raced the end of the handshake
                transport.ioLock.lock();
                try {
                    closeQuietly(t); // our close(): send close_notify
                } finally {
                    transport.ioLock.unlock();
                }
            }
            finish(outcome.failureKind() == null ? State.CLOSED : State.FAILED, null, null);
        } catch (Throwable e) {
            finishFailed(e);
        }
    }

    private void finishFailed(Throwable e) {
        if (outcome.failureKind() == null && transport.isCloseRequested()
                && !(e instanceof TlsFatalAlertReceived)) {
            finish(State.CLOSED, null, null); // a consequence of our own close()
            return;
        }
        finish(State.FAILED, classifyKind(e), describe(e));
        if (e instanceof Error err) {
            throw err;
        }
    }

    /** Moves to a final state once and tells the listener; recorded failure details take precedence. */
    private void finish(State end, FailureKind kind, String detail) {
        State s;
        do {
            s = state.get();
            if (s == State.CLOSED || s == State.FAILED) {
                return;
            }
        } while (!state.compareAndSet(s, end));
        transport.close();
        try {
            if (end == State.CLOSED) {
                listener.onClosed();
            } else if (outcome.failureKind() != null) {
                listener.onFailed(outcome.failureKind(), outcome.failureDetail());
            } else {
                listener.onFailed(kind == null ? FailureKind.OTHER : kind, detail);
            }
        } catch (RuntimeException e) {
            LOG.warn("DTLS listener failed in its final callback", e);
        }
    }

    private FailureKind classifyKind(Throwable e) {
        if (outcome.failureKind() != null) {
            return outcome.failureKind();
        }
        if (e instanceof TlsTimeoutException) {
            return FailureKind.TIMEOUT;
        }
        if (e instanceof TlsFatalAlertReceived || e instanceof TlsFatalAlert) {
            return FailureKind.ALERT;
        }
        return FailureKind.OTHER;
    }

    private String describe(Throwable e) {
        if (e instanceof TlsTimeoutException) {
            return "the DTLS handshake with the " + role() + " did not finish within "
                    + settings.handshakeTimeout().toMillis() + " ms";
        }
        if (e instanceof TlsFatalAlertReceived r) {
            return "the DTLS " + role() + " sent fatal alert " + AlertDescription.getText(r.getAlertDescription());
        }
        if (e instanceof TlsFatalAlert a) {
            return "we aborted DTLS with the " + role() + " with alert " + AlertDescription.getText(a.getAlertDescription())
                    + (a.getMessage() != null ? ": " + a.getMessage() : "")
                    + (a.getCause() != null ? " (" + a.getCause() + ")" : "");
        }
        return "DTLS with the " + role() + " failed: " + e;
    }

    private static void closeQuietly(DTLSTransport t) {
        try {
            t.close();
        } catch (IOException | RuntimeException e) {
            // The session is over either way.
        }
    }
}
