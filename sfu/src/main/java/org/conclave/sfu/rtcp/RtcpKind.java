package org.conclave.sfu.rtcp;

/** What one RTCP packet is, after its type-specific structure was checked ({@link RtcpPacket#kind}). */
public enum RtcpKind {
    SENDER_REPORT,
    RECEIVER_REPORT,
    SDES,
    BYE,
    APP,
    /** RTPFB FMT 1 (RFC 4585). */
    NACK,
    /** RTPFB FMT 3 (RFC 5104). */
    TMMBR,
    /** RTPFB FMT 4 (RFC 5104). */
    TMMBN,
    /** RTPFB FMT 15, transport-wide congestion control feedback; kept opaque. */
    TRANSPORT_CC,
    RTPFB_OTHER,
    /** PSFB FMT 1. */
    PLI,
    /** PSFB FMT 4. */
    FIR,
    /** PSFB FMT 15 with the "REMB" identifier. */
    REMB,
    PSFB_OTHER,
    /** A packet type this parser does not know (XR, ...). */
    UNKNOWN,
    /** Header is fine but the body is too short or misaligned for its type. */
    MALFORMED
}
