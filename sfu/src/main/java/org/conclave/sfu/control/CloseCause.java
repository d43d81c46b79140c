package org.conclave.sfu.control;

/** Why an endpoint closed: the appservice tells the participant (or not) accordingly. */
public enum CloseCause {
    /** The client closed its connection (DTLS close_notify): it ended the call itself; nothing to tell it. */
    CLIENT,
    /** A host disconnected it (or rejected it from the waiting room) over the data channel. */
    HOST,
    /** {@link SfuControl#close} was called (by the appservice, e.g. after the participant hung up). */
    CONTROL,
    /** An operator ended it (admin API: disconnect a participant, end a conference); detail says so. */
    OPERATOR,
    /** The SFU is shutting down. */
    SHUTDOWN,
    /** It failed; {@link EndpointListener#onFailed} said how, just before. */
    FAILURE
}
