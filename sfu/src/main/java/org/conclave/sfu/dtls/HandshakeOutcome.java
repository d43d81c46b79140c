package org.conclave.sfu.dtls;

import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;

/**
 * What the Bouncy Castle peer learned during the handshake, handed to the session thread: the SRTP profile and
 * keys on success, or the specific reason it aborted (BC itself only reports an alert code).
 */
final class HandshakeOutcome {
    private volatile SrtpProfile profile;
    private volatile SrtpKeys keys;
    private volatile FailureKind failureKind;
    private volatile String failureDetail;

    /** Records the first failure; later ones are consequences of it. */
    synchronized void fail(FailureKind kind, String detail) {
        if (failureKind == null) {
            failureKind = kind;
            failureDetail = detail;
        }
    }

    void succeed(SrtpProfile profile, SrtpKeys keys) {
        this.keys = keys;
        this.profile = profile;
    }

    SrtpProfile profile() {
        return profile;
    }

    SrtpKeys keys() {
        return keys;
    }

    FailureKind failureKind() {
        return failureKind;
    }

    String failureDetail() {
        return failureDetail;
    }
}
