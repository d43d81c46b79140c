package org.conclave.sfu.room;

/** The {@code errcode} of an {@code org.conclave.error} reply (Matrix-style names). */
public enum ErrorCode {
    /** The sender may not do this (a host action from a guest, anything but ping while waiting). */
    M_FORBIDDEN,
    /** Valid JSON of the wrong shape (not an object, a field missing or of the wrong type, nested too deep). */
    M_BAD_JSON,
    /** Not JSON at all (or more than one value). */
    M_NOT_JSON,
    /** An unknown {@code type}. */
    M_UNRECOGNIZED,
    /** The message names a participant or track the conference does not have. */
    M_NOT_FOUND,
    /** A field is of the right type but its value is not allowed (unknown filter, negative width, too long). */
    M_INVALID_PARAM,
    /** The message is larger than {@code maxMessageBytes}. */
    M_TOO_LARGE,
    /** The sender exceeded its rate of messages ({@code messagesPerSecond}); the excess was dropped unread. */
    M_LIMIT_EXCEEDED
}
