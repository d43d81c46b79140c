package org.conclave.sfu.forward;

import java.util.Map;
import org.conclave.sfu.codec.CodecId;

/**
 * What one downstream m-line negotiated, as the forwarding needs it.
 *
 * @param payloadTypes the receiver's payload type per codec
 * @param rtxPayloadTypes the receiver's RTX payload type per codec (codecs negotiated with RTX only)
 * @param extensionIds the receiver's header extension id per URI
 * @param nack whether the receiver accepted generic NACK (then the SFU answers its NACKs)
 */
public record Downlink(Map<CodecId, Integer> payloadTypes, Map<CodecId, Integer> rtxPayloadTypes,
        Map<String, Integer> extensionIds, boolean nack) {}
