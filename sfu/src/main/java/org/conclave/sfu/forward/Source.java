package org.conclave.sfu.forward;

import java.util.Map;

/**
 * One media source a client publishes: an upstream m-line of its offer. Immutable; made by the control side when an
 * offer is applied, then handed to the packet thread. Every receiver sees it under the one SSRC {@code outSsrc}.
 *
 * @param codecs the sender's payload types for this m-line: pt -> codec key (see {@link CodecKey})
 * @param extensions the sender's header extension ids for this m-line: id -> URI
 * @param declaredSsrcs SSRCs the sender declared for this m-line in its SDP (may be empty: then the MID header
 *     extension binds the first packets to the m-line)
 */
public record Source(
        String endpointId,
        String participantId,
        String mid,
        MediaKind kind,
        int clockRate,
        long outSsrc,
        String streamId,
        String trackId,
        String cname,
        Map<Integer, String> codecs,
        Map<Integer, String> extensions,
        long[] declaredSsrcs) {}
