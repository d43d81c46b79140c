package org.conclave.sfu.conference;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.datachannel.DataChannels;
import org.conclave.sfu.dtls.DtlsCertificate;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.dtls.DtlsSession;
import org.conclave.sfu.dtls.DtlsSettings;
import org.conclave.sfu.dtls.FailureKind;
import org.conclave.sfu.forward.MediaWorker;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * Each endpoint's DTLS server session (the SFU is always the DTLS server) on a bounded pool: a handshake holds a
 * thread while it runs, a connected session only while it reads what arrived. SRTP keys go to the packet thread,
 * records to the endpoint's data channels, and what happened to the session to the control thread as {@link Events}.
 */
final class DtlsLinks {
    /**
     * Pool threads per core. A handshake mostly waits for the client's flights (a round trip or two), so more threads
     * than cores keep joins from queueing behind each other; connected sessions need no thread of their own.
     */
    static final int THREADS_PER_CORE = 4;
    static final int MIN_THREADS = 8;

    /** What happened to an endpoint's DTLS; called on the control thread. */
    interface Events {
        void connected(Endpoint e, SrtpProfile profile);

        void failed(Endpoint e, FailureReason reason, String detail);

        /** The client closed DTLS (close_notify): it ended the call itself. */
        void clientClosed(Endpoint e);
    }

    private final DtlsCertificate certificate;
    private final DtlsSettings settings;
    private final MediaWorker worker;
    private final ControlThread control;
    private final Events events;
    private final ThreadPoolExecutor threads;

    DtlsLinks(DtlsCertificate certificate, Duration handshakeTimeout, MediaWorker worker, ControlThread control,
            Events events) {
        this.certificate = certificate;
        this.settings = new DtlsSettings(handshakeTimeout, DtlsSettings.DEFAULT_INITIAL_RETRANSMIT,
                DataChannels.DTLS_RECEIVE_QUEUE_PACKETS, DtlsSettings.DEFAULT.srtpProfiles());
        this.worker = worker;
        this.control = control;
        this.events = events;
        int n = poolSize();
        this.threads = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                ControlThread.daemon("sfu-dtls"));
        threads.allowCoreThreadTimeOut(true);
    }

    /** The DTLS pool's size: every endpoint's session shares it. */
    static int poolSize() {
        return Math.max(MIN_THREADS, THREADS_PER_CORE * Runtime.getRuntime().availableProcessors());
    }

    /** Starts the endpoint's DTLS once its first answer gave the client's fingerprints (control thread). */
    void start(Endpoint e) {
        DtlsServerSession dtls = new DtlsServerSession(certificate, e.remoteFingerprints(),
                (b, off, len) -> worker.sendFromOtherThread(e.id, b, off, len, e.media.sendAddress()),
                new DtlsSession.Listener() {
                    @Override
                    public void onHandshakeComplete(SrtpProfile profile, SrtpKeys keys) {
                        worker.srtpReady(e.id, new SrtpSession(profile, keys, true));
                        e.dataChannels.connected(e.dtls);
                        control.post(e.conference.id, () -> {
                            if (!e.isClosed()) events.connected(e, profile);
                        });
                    }

                    @Override
                    public void onFailed(FailureKind kind, String detail) {
                        FailureReason reason = kind == FailureKind.FINGERPRINT_MISMATCH
                                ? FailureReason.DTLS_FINGERPRINT_MISMATCH : FailureReason.DTLS_FAILED;
                        e.dataChannels.close();
                        control.post(e.conference.id, () -> {
                            if (!e.isClosed()) events.failed(e, reason, detail);
                        });
                    }

                    @Override
                    public void onApplicationData(byte[] b, int off, int len) {
                        e.dataChannels.receive(b, off, len); // SCTP: copied and handed to the SCTP thread
                    }

                    @Override
                    public void onClosed() {
                        e.dataChannels.close();
                        control.post(e.conference.id, () -> {
                            if (!e.isClosed()) events.clientClosed(e);
                        });
                    }
                }, settings);
        e.dtls = dtls;
        worker.attachDtls(e.id, dtls);
        dtls.start(threads);
    }

    void shutdown() {
        threads.shutdownNow();
    }
}
