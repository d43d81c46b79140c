package org.conclave.sfu.sctp;

import java.util.Arrays;
import org.conclave.sfu.sctp.chunk.Wire;

/**
 * What an INIT-ACK's State Cookie remembers so that no state is kept before COOKIE-ECHO (RFC 9260 §5.1.3): both
 * tags and initial TSNs, the peer's window, stream counts and extensions, the tie-tags of §5.2.2 and the creation
 * time, followed by an HMAC over all of it.
 */
record StateCookie(int myTag, int peerTag, int myInitialTsn, int peerInitialTsn, long peerRwnd,
                   int peerOutboundStreams, int peerInboundStreams, boolean peerForwardTsn, boolean peerReconfig,
                   int localTieTag, int peerTieTag, long createdAt) {
    static final int VERSION = 1;
    static final int BODY_LENGTH = 42;
    static final int LENGTH = BODY_LENGTH + CookieSigner.MAC_LENGTH;

    enum Check { VALID, FORGED, STALE }

    record Decoded(Check check, StateCookie cookie, long ageNanos) {
    }

    byte[] encode(CookieSigner signer) {
        byte[] b = new byte[LENGTH];
        b[0] = VERSION;
        b[1] = (byte) ((peerForwardTsn ? 1 : 0) | (peerReconfig ? 2 : 0));
        Wire.put32(b, 2, myTag);
        Wire.put32(b, 6, peerTag);
        Wire.put32(b, 10, myInitialTsn);
        Wire.put32(b, 14, peerInitialTsn);
        Wire.put32(b, 18, peerRwnd);
        Wire.put16(b, 22, peerOutboundStreams);
        Wire.put16(b, 24, peerInboundStreams);
        Wire.put32(b, 26, localTieTag);
        Wire.put32(b, 30, peerTieTag);
        Wire.put32(b, 34, createdAt >>> 32);
        Wire.put32(b, 38, createdAt);
        System.arraycopy(signer.mac(b, 0, BODY_LENGTH), 0, b, BODY_LENGTH, CookieSigner.MAC_LENGTH);
        return b;
    }

    static Decoded decode(CookieSigner signer, byte[] b, long now) {
        if (b.length != LENGTH || b[0] != VERSION
                || !signer.verify(b, 0, BODY_LENGTH, Arrays.copyOfRange(b, BODY_LENGTH, LENGTH))) {
            return new Decoded(Check.FORGED, null, 0);
        }
        long createdAt = (Wire.u32(b, 34) << 32) | Wire.u32(b, 38);
        StateCookie c = new StateCookie(Wire.i32(b, 2), Wire.i32(b, 6), Wire.i32(b, 10), Wire.i32(b, 14),
                Wire.u32(b, 18), Wire.u16(b, 22), Wire.u16(b, 24), (b[1] & 1) != 0, (b[1] & 2) != 0,
                Wire.i32(b, 26), Wire.i32(b, 30), createdAt);
        long age = now - createdAt;
        return new Decoded(age > CookieSigner.LIFETIME_NANOS ? Check.STALE : Check.VALID, c, age);
    }
}
