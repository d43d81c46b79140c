package org.conclave.sfu.forward;

import java.util.List;
import java.util.Map;
import org.conclave.sfu.codec.CodecId;
import org.conclave.sfu.codec.MediaKind;

/**
 * One media source a client publishes: an upstream m-line of its offer. Immutable; made by the control side when an
 * offer is applied, then handed to the packet thread. Every receiver sees it under the one SSRC {@code outSsrc}
 * (and {@code rtxOutSsrc} for retransmissions).
 *
 * @param codecs the sender's payload types for this m-line: pt -> codec
 * @param extensions the sender's header extension ids for this m-line: id -> URI
 * @param declaredSsrcs SSRCs the sender declared for this m-line in its SDP (may be empty: then the MID header
 *     extension binds the first packets to the m-line)
 * @param rids simulcast layers by rid, lowest first (the order of the client's a=simulcast send list); empty
 *     without rid simulcast
 * @param layerSsrcs simulcast layers by SSRC (a=ssrc-group:SIM), lowest first; empty without
 * @param rtxPayloadTypes the sender's RTX payload type -> the media payload type it repairs (apt)
 * @param rtxSsrcs the sender's RTX SSRC -> the media SSRC it repairs (a=ssrc-group:FID)
 * @param nack whether the sender accepts generic NACK on this m-line (then upstream loss is NACKed)
 * @param tmmbr whether the sender negotiated {@code ccm tmmbr} (then it is clamped with TMMBR, else REMB)
 * @param rtxOutSsrc the SSRC receivers see retransmissions on (0 for audio)
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
        Map<Integer, CodecId> codecs,
        Map<Integer, String> extensions,
        long[] declaredSsrcs,
        List<String> rids,
        long[] layerSsrcs,
        Map<Integer, Integer> rtxPayloadTypes,
        Map<Long, Long> rtxSsrcs,
        boolean nack,
        boolean tmmbr,
        long rtxOutSsrc) {

    /** A single-layer source without repair (tests, audio). */
    public Source(String endpointId, String participantId, String mid, MediaKind kind, int clockRate, long outSsrc,
            String streamId, String trackId, String cname, Map<Integer, CodecId> codecs, Map<Integer, String> extensions,
            long[] declaredSsrcs) {
        this(endpointId, participantId, mid, kind, clockRate, outSsrc, streamId, trackId, cname, codecs, extensions,
                declaredSsrcs, List.of(), new long[0], Map.of(), Map.of(), false, false, 0);
    }

    /** Simulcast layers the sender publishes on this m-line (1 without simulcast). */
    public int layerCount() {
        return Math.max(1, Math.max(rids.size(), layerSsrcs.length));
    }
}
