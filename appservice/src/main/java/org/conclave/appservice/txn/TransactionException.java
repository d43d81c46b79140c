package org.conclave.appservice.txn;

/**
 * A transaction body the appservice rejects, with 400, or 413 when it is too large ({@link #status()});
 * {@link #errcode()} is the Matrix error code.
 */
public final class TransactionException extends Exception {
    public static final String NOT_JSON = "M_NOT_JSON";
    public static final String BAD_JSON = "M_BAD_JSON";
    public static final String INVALID_PARAM = "M_INVALID_PARAM";
    public static final String TOO_LARGE = "M_TOO_LARGE";

    private final String errcode;
    private final TransactionLimit limit;

    public TransactionException(String errcode, String message) {
        this(errcode, message, null);
    }

    /** @param limit the configured limit the body exceeded, null when it is unusable for another reason */
    public TransactionException(String errcode, String message, TransactionLimit limit) {
        super(message, null, false, false);
        this.errcode = errcode;
        this.limit = limit;
    }

    public String errcode() {
        return errcode;
    }

    /** The HTTP status that goes with the errcode. */
    public int status() {
        return TOO_LARGE.equals(errcode) ? 413 : 400;
    }

    /** The limit the body exceeded, counted by it; null when it is malformed or of the wrong shape. */
    public TransactionLimit limit() {
        return limit;
    }
}
