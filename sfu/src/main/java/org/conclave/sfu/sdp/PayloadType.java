package org.conclave.sfu.sdp;

/**
 * What a payload type means on the bundled transport.
 *
 * @param codec the codec; for an RTX payload type, the codec it repairs
 * @param rtx whether this payload type is the RTX format of {@code codec}
 */
public record PayloadType(int pt, MediaKind kind, Codec codec, boolean rtx) {}
