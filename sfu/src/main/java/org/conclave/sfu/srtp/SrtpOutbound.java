package org.conclave.sfu.srtp;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;

/**
 * The send side of an {@link SrtpSession}: one crypto context per local SSRC and packet kind, derived at the SSRC's
 * first packet, at most {@link SrtpSession#MAX_OUTBOUND_STREAMS} per kind. One thread at a time; shares nothing
 * mutable with the receive side ({@link SrtpInbound}).
 */
final class SrtpOutbound {
    private final SrtpContextFactory factory;
    private final SsrcTable<SrtpCryptoContext> rtp = new SsrcTable<>(SrtpSession.MAX_OUTBOUND_STREAMS);
    private final SsrcTable<SrtcpCryptoContext> rtcp = new SsrcTable<>(SrtpSession.MAX_OUTBOUND_STREAMS);
    private final CipherCall cipher = new CipherCall();

    SrtpOutbound(SrtpContextFactory factory) {
        this.factory = factory;
    }

    /** Encrypts the RTP packet of {@code ssrc} (already checked, room for the tag) in place and appends the tag. */
    int protectRtp(byte[] b, int off, int len, int ssrc) {
        SrtpCryptoContext ctx = rtp.get(ssrc);
        if (ctx == null) {
            if (rtp.isFull()) {
                return SrtpSession.ERR_TOO_MANY_STREAMS;
            }
            ctx = cipher.derive(CipherCall.RTP_CONTEXT, factory, ssrc);
            if (ctx == null) {
                return SrtpSession.ERR_CRYPTO;
            }
            rtp.put(ssrc, ctx);
        }
        return cipher.run(CipherCall.PROTECT_RTP, ctx, b, off, len);
    }

    /** Encrypts the RTCP packet of sender {@code ssrc} (already checked) in place; appends the index and tag. */
    int protectRtcp(byte[] b, int off, int len, int ssrc) {
        SrtcpCryptoContext ctx = rtcp.get(ssrc);
        if (ctx == null) {
            if (rtcp.isFull()) {
                return SrtpSession.ERR_TOO_MANY_STREAMS;
            }
            ctx = cipher.derive(CipherCall.RTCP_CONTEXT, factory, ssrc);
            if (ctx == null) {
                return SrtpSession.ERR_CRYPTO;
            }
            rtcp.put(ssrc, ctx);
        }
        return cipher.run(CipherCall.PROTECT_RTCP, ctx, b, off, len);
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
