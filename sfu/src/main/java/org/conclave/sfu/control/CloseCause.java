package org.conclave.sfu.control;

/** Why an endpoint closed: the appservice tells the participant (or not) accordingly. */
public enum CloseCause {
    /** The client closed its connection (DTLS close_notify): it ended the call itself; nothing to tell it. */
    CLIENT,
    /** A host disconnected it (or rejected it from the waiting room) over the data channel. */
    HOST,
    /** {@link SfuControl#close} was called. */
    CONTROL,
    /** The SFU is shutting down. */
    SHUTDOWN,
    /** It failed; {@link EndpointListener#onFailed} said how, just before. */
    FAILURE
}
