package org.conclave.sfu.room;

/** A command refused after authorization (unknown target, wrong state); thrown before anything changes. */
final class Refusal extends RuntimeException {
    final ErrorCode code;

    Refusal(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
