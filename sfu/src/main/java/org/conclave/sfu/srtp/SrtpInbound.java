package org.conclave.sfu.srtp;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;

/**
 * The receive side of an {@link SrtpSession}: one crypto context per remote SSRC and packet kind, created only for a
 * packet that authenticates, at most {@link SrtpSession#MAX_INBOUND_STREAMS} per kind. One thread at a time; shares
 * nothing mutable with the send side ({@link SrtpOutbound}).
 */
final class SrtpInbound {
    private final SrtpContextFactory factory;
    private final SsrcTable<SrtpCryptoContext> rtp = new SsrcTable<>(SrtpSession.MAX_INBOUND_STREAMS);
    private final SsrcTable<SrtcpCryptoContext> rtcp = new SsrcTable<>(SrtpSession.MAX_INBOUND_STREAMS);
    private final CipherCall cipher = new CipherCall();
    // A derived but unused receive context. jitsi-srtp keys a context by the master key alone (the SSRC enters
    // the IV from the packet itself; its field is only logged) and a failed packet leaves a fresh context
    // untouched, so one spare serves every unknown SSRC until a packet authenticates: garbage never derives keys.
    private SrtpCryptoContext spareRtp;
    private SrtcpCryptoContext spareRtcp;

    SrtpInbound(SrtpContextFactory factory) {
        this.factory = factory;
    }

    /** Decrypts and authenticates the SRTP packet of {@code ssrc} (already checked well-formed) in place. */
    int unprotectRtp(byte[] b, int off, int len, int ssrc) {
        SrtpCryptoContext ctx = rtp.get(ssrc);
        boolean fresh = ctx == null;
        if (fresh) {
            if (rtp.isFull()) {
                return SrtpSession.ERR_TOO_MANY_STREAMS;
            }
            if (spareRtp == null) {
                spareRtp = cipher.derive(CipherCall.RTP_CONTEXT, factory, ssrc);
                if (spareRtp == null) {
                    return SrtpSession.ERR_CRYPTO;
                }
            }
            ctx = spareRtp;
        }
        int result = cipher.run(CipherCall.UNPROTECT_RTP, ctx, b, off, len);
        if (result >= 0 && fresh) {
            rtp.put(ssrc, ctx);
            spareRtp = null;
        }
        return result;
    }

    /** Authenticates and (E flag) decrypts the SRTCP packet of sender {@code ssrc} (already checked) in place. */
    int unprotectRtcp(byte[] b, int off, int len, int ssrc) {
        SrtcpCryptoContext ctx = rtcp.get(ssrc);
        boolean fresh = ctx == null;
        if (fresh) {
            if (rtcp.isFull()) {
                return SrtpSession.ERR_TOO_MANY_STREAMS;
            }
            if (spareRtcp == null) {
                spareRtcp = cipher.derive(CipherCall.RTCP_CONTEXT, factory, ssrc);
                if (spareRtcp == null) {
                    return SrtpSession.ERR_CRYPTO;
                }
            }
            ctx = spareRtcp;
        }
        int result = cipher.run(CipherCall.UNPROTECT_RTCP, ctx, b, off, len);
        if (result >= 0 && fresh) {
            rtcp.put(ssrc, ctx);
            spareRtcp = null;
        }
        return result;
    }

    void forget(int ssrc) {
        rtp.remove(ssrc);
        rtcp.remove(ssrc);
    }

    int rtpStreams() {
        return rtp.size();
    }

    long internalErrors() {
        return cipher.internalErrors();
    }

    void close() {
        factory.close();
    }
}
