package org.conclave.sfu.srtp;

import java.security.GeneralSecurityException;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * Calls into jitsi-srtp for one side of a session ({@link SrtpInbound}, {@link SrtpOutbound}), each failure handled
 * alike: a cipher's {@link GeneralSecurityException} is {@link SrtpSession#ERR_CRYPTO}, and any other exception (a bug
 * in jitsi-srtp or here) is that too and counted in {@link #internalErrors}. The calls are the constants below:
 * non-capturing lambdas, one instance each for the process, so a packet allocates nothing here. One thread at a time.
 */
final class CipherCall {
    /** Transforms one packet in place with a context of type {@code C}. */
    @FunctionalInterface
    interface Transform<C> {
        SrtpErrorStatus apply(C context, PacketView view) throws GeneralSecurityException;
    }

    /** Derives a context of type {@code C} for an SSRC. */
    @FunctionalInterface
    interface Derivation<C> {
        C derive(SrtpContextFactory factory, int ssrc) throws GeneralSecurityException;
    }

    static final Transform<SrtpCryptoContext> PROTECT_RTP = SrtpCryptoContext::transformPacket;
    static final Transform<SrtcpCryptoContext> PROTECT_RTCP = SrtcpCryptoContext::transformPacket;
    static final Transform<SrtpCryptoContext> UNPROTECT_RTP = (context, view) -> context.reverseTransformPacket(view,
            false);
    static final Transform<SrtcpCryptoContext> UNPROTECT_RTCP = SrtcpCryptoContext::reverseTransformPacket;
    static final Derivation<SrtpCryptoContext> RTP_CONTEXT = (factory, ssrc) -> factory.deriveContext(ssrc, 0);
    static final Derivation<SrtcpCryptoContext> RTCP_CONTEXT = SrtpContextFactory::deriveControlContext;

    private final PacketView view = new PacketView();
    private long internalErrors;

    /** Runs {@code transform} on the packet at {@code b[off, off + len)}; returns its new length or an error code. */
    <C> int run(Transform<C> transform, C context, byte[] b, int off, int len) {
        view.wrap(b, off, len);
        int result;
        try {
            result = SrtpSession.resultOf(transform.apply(context, view), view);
        } catch (GeneralSecurityException e) {
            result = SrtpSession.ERR_CRYPTO;
        } catch (RuntimeException e) {
            internalErrors++;
            result = SrtpSession.ERR_CRYPTO;
        }
        view.clear();
        return result;
    }

    /** A new context for {@code ssrc}, or null if deriving it failed (counted: deriving never fails for a packet). */
    <C> C derive(Derivation<C> derivation, SrtpContextFactory factory, int ssrc) {
        try {
            return derivation.derive(factory, ssrc);
        } catch (GeneralSecurityException | RuntimeException e) {
            internalErrors++;
            return null;
        }
    }

    long internalErrors() {
        return internalErrors;
    }
}
