package org.conclave.appservice.registration;

/** A registration file Conclave cannot use; the message completes "the registration file ...". */
public final class RegistrationException extends RuntimeException {
    public RegistrationException(String message) {
        super(message);
    }
}
