package org.conclave.sfu.e2ee;

/** Where an endpoint stands with the end-to-end-encryption check of its conference. */
public enum E2eeState {
    /** Nothing is forwarded until {@link E2eeGuard#LEARNING_FRAMES} consecutive frame starts agree with one counter. */
    LEARNING,
    /** Frames consistent with the endpoint's counter are forwarded. */
    FORWARDING,
    /** Not encrypting: nothing of the endpoint is forwarded until it renegotiates. */
    HELD
}
