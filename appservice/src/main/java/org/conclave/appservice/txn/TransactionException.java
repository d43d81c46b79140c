package org.conclave.appservice.txn;

/** A transaction body the appservice rejects with 400; {@link #errcode()} is the Matrix error code. */
public final class TransactionException extends Exception {
    public static final String NOT_JSON = "M_NOT_JSON";
    public static final String BAD_JSON = "M_BAD_JSON";
    public static final String INVALID_PARAM = "M_INVALID_PARAM";

    private final String errcode;

    public TransactionException(String errcode, String message) {
        super(message, null, false, false);
        this.errcode = errcode;
    }

    public String errcode() {
        return errcode;
    }
}
