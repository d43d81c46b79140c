package org.conclave.sfu.control;

/** Why an endpoint closed: the appservice tells the participant (or not) accordingly. */
public enum CloseCause {
    /** The client closed its connection (DTLS close_notify): it ended the call itself; nothing to tell it. */
    CLIENT,
    /** A host disconnected it over the data channel. */
    HOST,
    /**
     * It never got out of the waiting room: a host refused it, or nobody let it in in time (detail says which). It
     * may not have read the data channel's word on it: its channel may not have been open yet.
     */
    REFUSED,
    /** {@link SfuControl#close} was called (by the appservice, e.g. after the participant hung up). */
    CONTROL,
    /** An operator ended it (admin API: disconnect a participant, end a conference); detail says so. */
    OPERATOR,
    /** The SFU is shutting down. */
    SHUTDOWN,
    /** It failed; {@link EndpointListener#onFailed} said how, just before. */
    FAILURE
}
