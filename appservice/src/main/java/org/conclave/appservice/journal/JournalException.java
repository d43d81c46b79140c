package org.conclave.appservice.journal;

import java.io.IOException;

/** The journal cannot be used; the message names the file and what to do. */
public final class JournalException extends IOException {
    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
