package org.conclave.sfu.forward;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.conclave.sfu.codec.CodecId;
import org.conclave.sfu.rtp.ExtensionUri;

/** The tables that turn a sender's numbers into a receiver's, built once per subscription. */
final class DownlinkMaps {
    /** URIs forwarded downstream; the rest (mid, rid, transport-cc) describe the sender's hop, not the receiver's. */
    static final Set<String> FORWARDED_EXTENSIONS = Set.of(ExtensionUri.AUDIO_LEVEL.uri(),
            ExtensionUri.ABS_SEND_TIME.uri(), ExtensionUri.VIDEO_ORIENTATION.uri(), ExtensionUri.TOFFSET.uri(),
            ExtensionUri.PLAYOUT_DELAY.uri());

    private DownlinkMaps() {}

    /** sender pt -> receiver pt, -1 where the receiver has no such codec. */
    static byte[] payloadTypes(Source source, Downlink downlink) {
        byte[] map = new byte[128];
        Arrays.fill(map, (byte) -1);
        for (Map.Entry<Integer, CodecId> e : source.codecs().entrySet()) {
            Integer pt = downlink.payloadTypes().get(e.getValue());
            if (pt != null && e.getKey() >= 0 && e.getKey() < 128) map[e.getKey()] = (byte) (int) pt;
        }
        return map;
    }

    /** receiver media pt -> receiver RTX pt, by codec; -1 without RTX. */
    static byte[] rtxPayloadTypes(Downlink downlink) {
        byte[] map = new byte[128];
        Arrays.fill(map, (byte) -1);
        for (Map.Entry<CodecId, Integer> e : downlink.rtxPayloadTypes().entrySet()) {
            Integer media = downlink.payloadTypes().get(e.getKey());
            if (media != null && media >= 0 && media < 128) map[media] = (byte) (int) e.getValue();
        }
        return map;
    }

    /** sender extension id -> receiver extension id, 0 to blank the element out. */
    static byte[] extensionIds(Source source, Downlink downlink) {
        byte[] map = new byte[256];
        for (Map.Entry<Integer, String> e : source.extensions().entrySet()) {
            Integer id = downlink.extensionIds().get(e.getValue());
            // transport-wide-cc is kept (renumbered) only to carry the SFU's own per-receiver sequence
            boolean kept = FORWARDED_EXTENSIONS.contains(e.getValue())
                    || ExtensionUri.TRANSPORT_WIDE_CC.uri().equals(e.getValue());
            if (id != null && kept && e.getKey() > 0 && e.getKey() < 256) map[e.getKey()] = (byte) (int) id;
        }
        return map;
    }
}
