package org.conclave.sfu.srtp;

import java.util.Objects;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;

/**
 * SRTP/SRTCP for one DTLS-SRTP association (RFC 3711, RFC 7714), over jitsi-srtp.
 *
 * <p>All methods work in place on the caller's array and return the new length, or a negative {@code ERR_*}
 * code. Protecting appends at most {@link #MAX_RTP_OVERHEAD} / {@link #MAX_RTCP_OVERHEAD} bytes after
 * {@code off + len}: the caller guarantees that room ({@link #ERR_NO_CAPACITY} otherwise).
 *
 * <p>Threading: not thread-safe. The receive side ({@code unprotect*}) and the send side ({@code protect*})
 * share no mutable state ({@link SrtpInbound}, {@link SrtpOutbound}: this class checks the packets and hands them
 * on), so each side may be driven by its own thread, but each side by one thread at a
 * time (normally the packet thread). The first packet of a new SSRC derives a crypto context (allocates,
 * once per SSRC); after that this class allocates nothing per packet and takes no lock of its own. jitsi-srtp
 * underneath does: an uncontended monitor per packet and ~90-100 short-lived bytes (a fresh IvParameterSpec or
 * GCMParameterSpec per packet, and the HMAC result for AES-CM), measured with the OpenSSL backend.
 *
 * <p>Inbound contexts are created only for packets that authenticate, and at most
 * {@link #MAX_INBOUND_STREAMS} per packet kind, so a peer cannot grow memory with made-up SSRCs. The caps hold
 * live streams: the owner forgets the streams gone for good ({@link #forgetOutbound}, {@link #forgetInbound}), or a
 * long call with people coming and going would run out.
 */
public final class SrtpSession implements AutoCloseable {
    /** Most bytes {@link #protectRtp} appends (the GCM tag; HMAC-SHA1-80 appends 10). */
    public static final int MAX_RTP_OVERHEAD = 16;
    /** Most bytes {@link #protectRtcp} appends: the E flag + SRTCP index word, then the tag. */
    public static final int MAX_RTCP_OVERHEAD = 4 + 16;
    /** Remote streams per packet kind (RTP, RTCP): a client sends a handful (audio, simulcast video, RTX). */
    public static final int MAX_INBOUND_STREAMS = 64;
    /** Local streams per packet kind: everything the SFU forwards to one receiver, so more room than inbound. */
    public static final int MAX_OUTBOUND_STREAMS = 256;

    /** Not an RTP/RTCP packet, or too short for its own headers plus the tag. */
    public static final int ERR_MALFORMED = -1;
    /** Authentication tag mismatch. */
    public static final int ERR_AUTH = -2;
    /** Already received, or older than the 64-packet replay window (or, protecting, a reused sequence number). */
    public static final int ERR_REPLAY = -3;
    /** A new SSRC beyond {@link #MAX_INBOUND_STREAMS} / {@link #MAX_OUTBOUND_STREAMS}. */
    public static final int ERR_TOO_MANY_STREAMS = -4;
    /** Protecting: the array has less than the overhead free after {@code off + len}. */
    public static final int ERR_NO_CAPACITY = -5;
    /** The cipher failed (includes unexpected errors inside jitsi-srtp, counted by {@link #internalErrors()}). */
    public static final int ERR_CRYPTO = -6;
    /** The session was closed. */
    public static final int ERR_CLOSED = -7;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8; // up to and including the sender SSRC
    private static final int SRTCP_INDEX = 4;

    private static final String AES_BACKEND = chooseAesBackend();

    private final SrtpProfile profile;
    private final SrtpOutbound outbound;
    private final SrtpInbound inbound;
    private volatile boolean closed;

    /**
     * @param isServer true for the DTLS server (the SFU): it sends with the server write key and receives
     *                 with the client's; false for the DTLS client.
     */
    public SrtpSession(SrtpProfile profile, SrtpKeys keys, boolean isServer) {
        this.profile = Objects.requireNonNull(profile, "profile");
        if (!keys.fits(profile)) {
            throw new IllegalArgumentException("key/salt lengths do not fit " + profile);
        }
        this.outbound = new SrtpOutbound(new SrtpContextFactory(true,
                isServer ? keys.serverWriteKey() : keys.clientWriteKey(),
                isServer ? keys.serverWriteSalt() : keys.clientWriteSalt(),
                profile.newPolicy(), profile.newPolicy(), SilentJitsiLogger.INSTANCE));
        this.inbound = new SrtpInbound(new SrtpContextFactory(false,
                isServer ? keys.clientWriteKey() : keys.serverWriteKey(),
                isServer ? keys.clientWriteSalt() : keys.serverWriteSalt(),
                profile.newPolicy(), profile.newPolicy(), SilentJitsiLogger.INSTANCE));
    }

    /**
     * Makes jitsi-srtp set itself up now, on the calling thread: at its first cipher it instantiates every AES backend
     * it knows (Bouncy Castle's JCE provider among them, hundreds of classes) and benchmarks them, even with a backend
     * chosen. Left to the first packet, that stalled the packet thread for 0.3 s, and for 3 s on a busy machine,
     * long enough for browsers to call ICE disconnected. Call once before the packet thread runs. Returns how many
     * profiles protected a packet of each kind (all of them, unless the crypto backend is broken).
     */
    public static int warmUp() {
        byte[] rtp = new byte[RTP_HEADER + 1 + MAX_RTP_OVERHEAD];
        rtp[0] = (byte) 0x80;
        byte[] rtcp = new byte[RTCP_HEADER + MAX_RTCP_OVERHEAD];
        rtcp[0] = (byte) 0x80;
        rtcp[1] = (byte) 201; // receiver report, no blocks
        rtcp[3] = 1;
        int ready = 0;
        for (SrtpProfile p : SrtpProfile.values()) {
            byte[] key = new byte[p.keyLength()];
            byte[] salt = new byte[p.saltLength()];
            try (SrtpSession s = new SrtpSession(p, new SrtpKeys(key, key, salt, salt), true)) {
                if (s.protectRtp(rtp.clone(), 0, RTP_HEADER + 1) > 0 && s.protectRtcp(rtcp.clone(), 0, RTCP_HEADER) > 0) {
                    ready++;
                }
            }
        }
        return ready;
    }

    /** Which AES implementation jitsi-srtp was told to use: "OpenSSL" or "SunJCE". */
    public static String aesBackend() {
        return AES_BACKEND;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Decrypts and authenticates an SRTP packet in place; returns the RTP length or an {@code ERR_*} code. */
    public int unprotectRtp(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            return ERR_CLOSED;
        }
        if (!isRtp(b, off, len, profile.tagLength())) {
            return ERR_MALFORMED;
        }
        return inbound.unprotectRtp(b, off, len, readInt(b, off + 8));
    }

    /** Authenticates and (if the E flag is set) decrypts an SRTCP packet in place; returns the RTCP length. */
    public int unprotectRtcp(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            return ERR_CLOSED;
        }
        if (len < RTCP_HEADER + SRTCP_INDEX + profile.tagLength() || !isVersion2(b[off])) {
            return ERR_MALFORMED;
        }
        return inbound.unprotectRtcp(b, off, len, readInt(b, off + 4));
    }

    /**
     * Encrypts an RTP packet in place and appends the tag ({@link SrtpProfile#rtpOverhead()} bytes, at most
     * {@link #MAX_RTP_OVERHEAD}); returns the SRTP length. A sequence number already protected for this SSRC is
     * refused ({@link #ERR_REPLAY}): reusing it would reuse the cipher's nonce.
     */
    public int protectRtp(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            return ERR_CLOSED;
        }
        if (!isRtp(b, off, len, 0)) {
            return ERR_MALFORMED;
        }
        if (b.length - off - len < profile.rtpOverhead()) {
            return ERR_NO_CAPACITY;
        }
        return outbound.protectRtp(b, off, len, readInt(b, off + 8));
    }

    /**
     * Encrypts an RTCP packet in place and appends the SRTCP index and tag ({@link SrtpProfile#rtcpOverhead()}
     * bytes, at most {@link #MAX_RTCP_OVERHEAD}); returns the SRTCP length.
     */
    public int protectRtcp(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            return ERR_CLOSED;
        }
        if (len < RTCP_HEADER || !isVersion2(b[off])) {
            return ERR_MALFORMED;
        }
        if (b.length - off - len < profile.rtcpOverhead()) {
            return ERR_NO_CAPACITY;
        }
        return outbound.protectRtcp(b, off, len, readInt(b, off + 4));
    }

    /**
     * Forgets a local stream gone for good: its RTP and RTCP contexts (send side's thread). A later packet of this
     * SSRC would start a new context whose rollover counter restarts at 0 while the receiver's goes on, so never
     * for an SSRC that may still be sent (a source merely unsubscribed from).
     */
    public void forgetOutbound(int ssrc) {
        outbound.forget(ssrc);
    }

    /** Forgets a remote stream that is gone (its m-line removed, its SSRC replaced): receive side's thread. */
    public void forgetInbound(int ssrc) {
        inbound.forget(ssrc);
    }

    /** Remote RTP streams (SSRCs) that have authenticated so far (and not forgotten). */
    public int inboundRtpStreams() {
        return inbound.rtpStreams();
    }

    /** Local RTP streams protected so far (and not forgotten). */
    public int outboundRtpStreams() {
        return outbound.rtpStreams();
    }

    /** Unexpected exceptions caught from jitsi-srtp (a bug somewhere if not zero). */
    public long internalErrors() {
        return inbound.internalErrors() + outbound.internalErrors();
    }

    /** Wipes the master keys; every later call returns {@link #ERR_CLOSED}. Call from the packet thread. */
    @Override
    public void close() {
        closed = true;
        outbound.close();
        inbound.close();
    }

    /** A short English name for an {@code ERR_*} code (for logs and metrics labels). */
    public static String describe(int code) {
        return switch (code) {
            case ERR_MALFORMED -> "malformed";
            case ERR_AUTH -> "authentication failed";
            case ERR_REPLAY -> "replayed";
            case ERR_TOO_MANY_STREAMS -> "too many streams";
            case ERR_NO_CAPACITY -> "no room for the tag";
            case ERR_CRYPTO -> "cipher failure";
            case ERR_CLOSED -> "session closed";
            default -> code >= 0 ? "ok" : "unknown error " + code;
        };
    }

    static int resultOf(SrtpErrorStatus status, PacketView view) {
        return switch (status) {
            case OK -> view.getLength();
            case AUTH_FAIL -> ERR_AUTH;
            case REPLAY_FAIL, REPLAY_OLD -> ERR_REPLAY;
            case INVALID_PACKET -> ERR_MALFORMED;
            default -> ERR_CRYPTO;
        };
    }

    /** Version 2, and the fixed header, CSRCs and header extension all fit before a {@code tagLen} tag. */
    private static boolean isRtp(byte[] b, int off, int len, int tagLen) {
        int avail = len - tagLen;
        if (avail < RTP_HEADER || !isVersion2(b[off])) {
            return false;
        }
        int header = RTP_HEADER + 4 * (b[off] & 0x0F);
        if ((b[off] & 0x10) != 0) {
            if (header + 4 > avail) {
                return false;
            }
            header += 4 + 4 * (((b[off + header + 2] & 0xFF) << 8) | (b[off + header + 3] & 0xFF));
        }
        return header <= avail;
    }

    private static boolean isVersion2(byte first) {
        return (first & 0xC0) == 0x80;
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    // Chosen once, before any context exists: without it jitsi-srtp benchmarks every backend at first use
    // and may pick pure-Java BouncyCastle, several times slower than OpenSSL or SunJCE (AES-NI).
    private static String chooseAesBackend() {
        String name;
        try {
            name = JitsiOpenSslProvider.isLoaded() ? "OpenSSL" : "SunJCE";
        } catch (LinkageError e) {
            name = "SunJCE";
        }
        Aes.setFactoryClassName(name);
        return name;
    }
}
