package org.conclave.sfu.srtp;

import java.security.GeneralSecurityException;
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
    private final PacketView view = new PacketView();
    private long internalErrors;

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
            try {
                ctx = factory.deriveContext(ssrc, 0);
            } catch (GeneralSecurityException | RuntimeException e) {
                internalErrors++;
                return SrtpSession.ERR_CRYPTO;
            }
            rtp.put(ssrc, ctx);
        }
        view.wrap(b, off, len);
        int result;
        try {
            result = SrtpSession.resultOf(ctx.transformPacket(view), view);
        } catch (GeneralSecurityException e) {
            result = SrtpSession.ERR_CRYPTO;
        } catch (RuntimeException e) {
            internalErrors++;
            result = SrtpSession.ERR_CRYPTO;
        }
        view.clear();
        return result;
    }

    /** Encrypts the RTCP packet of sender {@code ssrc} (already checked) in place; appends the index and tag. */
    int protectRtcp(byte[] b, int off, int len, int ssrc) {
        SrtcpCryptoContext ctx = rtcp.get(ssrc);
        if (ctx == null) {
            if (rtcp.isFull()) {
                return SrtpSession.ERR_TOO_MANY_STREAMS;
            }
            try {
                ctx = factory.deriveControlContext(ssrc);
            } catch (GeneralSecurityException | RuntimeException e) {
                internalErrors++;
                return SrtpSession.ERR_CRYPTO;
            }
            rtcp.put(ssrc, ctx);
        }
        view.wrap(b, off, len);
        int result;
        try {
            result = SrtpSession.resultOf(ctx.transformPacket(view), view);
        } catch (GeneralSecurityException e) {
            result = SrtpSession.ERR_CRYPTO;
        } catch (RuntimeException e) {
            internalErrors++;
            result = SrtpSession.ERR_CRYPTO;
        }
        view.clear();
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
        return internalErrors;
    }

    void close() {
        factory.close();
    }
}
