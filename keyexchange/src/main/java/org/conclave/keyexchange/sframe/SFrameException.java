package org.conclave.keyexchange.sframe;

/**
 * Why a frame could not be decrypted. The only checked exception SFrame decryption throws; each subclass carries one
 * {@link Reason} so callers can count drops per cause with a switch.
 */
public abstract sealed class SFrameException extends Exception
        permits SFrameException.UnknownKey, SFrameException.AuthFailure, SFrameException.Syntax,
        SFrameException.Replay {

    /** The cause of a rejected frame. */
    public enum Reason { UNKNOWN_KEY, AUTH_FAILURE, SYNTAX, REPLAY }

    private final Reason reason;

    private SFrameException(Reason reason, String message) {
        // No stack trace: these are expected outcomes for hostile or late frames, thrown per frame.
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The header names a KID for which no key is installed (not yet received, or already retired). */
    public static final class UnknownKey extends SFrameException {
        private final long kid;

        public UnknownKey(long kid) {
            super(Reason.UNKNOWN_KEY, "no key for SFrame KID " + Long.toUnsignedString(kid));
            this.kid = kid;
        }

        public long kid() {
            return kid;
        }
    }

    /** The tag did not verify: wrong key, or the frame, header or metadata was altered. */
    public static final class AuthFailure extends SFrameException {
        public AuthFailure(long kid, long ctr) {
            super(Reason.AUTH_FAILURE, "SFrame authentication failed for KID " + Long.toUnsignedString(kid)
                    + " CTR " + Long.toUnsignedString(ctr));
        }
    }

    /** The bytes are not an SFrame ciphertext: truncated header, or shorter than header plus tag. */
    public static final class Syntax extends SFrameException {
        public Syntax(String message) {
            super(Reason.SYNTAX, message);
        }
    }

    /** The counter was already accepted for this KID, or is older than the replay window. */
    public static final class Replay extends SFrameException {
        public Replay(long kid, long ctr) {
            super(Reason.REPLAY, "SFrame CTR " + Long.toUnsignedString(ctr) + " replayed or too old for KID "
                    + Long.toUnsignedString(kid));
        }
    }
}
