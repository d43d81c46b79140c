package org.conclave.sfu.dtls;

import java.time.Duration;
import java.util.List;
import org.conclave.sfu.srtp.SrtpProfile;

/**
 * Tunables of a DTLS session.
 *
 * @param handshakeTimeout      the whole handshake must finish within this time, else {@link FailureKind#TIMEOUT}
 * @param initialRetransmit     first retransmission timer of a handshake flight (Bouncy Castle doubles it, up to 60 s)
 * @param receiveQueueCapacity  datagrams buffered between the packet thread and the DTLS thread; more are dropped
 * @param srtpProfiles          SRTP profiles we offer (client) or accept (server), most preferred first
 */
public record DtlsSettings(Duration handshakeTimeout, Duration initialRetransmit, int receiveQueueCapacity,
                           List<SrtpProfile> srtpProfiles) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** RFC 6347 §4.2.4.1 recommends 1 s. */
    public static final Duration DEFAULT_INITIAL_RETRANSMIT = Duration.ofSeconds(1);
    /** A handshake flight is a handful of datagrams; 64 also absorbs a burst of data-channel records. */
    public static final int DEFAULT_RECEIVE_QUEUE_CAPACITY = 64;

    public static final DtlsSettings DEFAULT = new DtlsSettings(DEFAULT_HANDSHAKE_TIMEOUT,
            DEFAULT_INITIAL_RETRANSMIT, DEFAULT_RECEIVE_QUEUE_CAPACITY, SrtpProfile.PREFERENCE);

    public DtlsSettings {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || handshakeTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("handshakeTimeout must be positive and fit in int milliseconds");
        }
        if (initialRetransmit.toMillis() < 1 || initialRetransmit.compareTo(handshakeTimeout) > 0) {
            throw new IllegalArgumentException("initialRetransmit must be at least 1 ms and below handshakeTimeout");
        }
        if (receiveQueueCapacity < 1) {
            throw new IllegalArgumentException("receiveQueueCapacity must be positive");
        }
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty()) {
            throw new IllegalArgumentException("at least one SRTP profile is needed");
        }
    }

    public DtlsSettings withHandshakeTimeout(Duration timeout) {
        return new DtlsSettings(timeout, initialRetransmit, receiveQueueCapacity, srtpProfiles);
    }

    public DtlsSettings withInitialRetransmit(Duration retransmit) {
        return new DtlsSettings(handshakeTimeout, retransmit, receiveQueueCapacity, srtpProfiles);
    }

    public DtlsSettings withReceiveQueueCapacity(int capacity) {
        return new DtlsSettings(handshakeTimeout, initialRetransmit, capacity, srtpProfiles);
    }

    public DtlsSettings withSrtpProfiles(SrtpProfile... profiles) {
        return new DtlsSettings(handshakeTimeout, initialRetransmit, receiveQueueCapacity, List.of(profiles));
    }
}
