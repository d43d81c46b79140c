package org.conclave.sfu.sdp;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One accepted m-line as the forwarding code needs it.
 *
 * @param upstream true for the client's media to the SFU, false for an m-line the SFU created to send on (read as
 *     the SFU's media to the client; where the client publishes on it too, {@link Negotiated} also has it upstream)
 * @param localDirection the direction the SFU wrote
 * @param remoteDirection the direction the client wrote
 * @param codecs the codecs both sides agreed, with the client's payload types, in preference order
 * @param extensions header extension id to URI for this m-line
 * @param ssrcs SSRCs the sender declared (a=ssrc / a=ssrc-group): the client's upstream, the SFU's downstream
 * @param rids the rids the client sends (simulcast), empty without simulcast
 * @param msid the sender's stream and track ids, or null
 * @param cname the sender's RTCP CNAME, or null
 */
public record NegotiatedMedia(String mid, MediaKind kind, boolean upstream, Direction localDirection,
                              Direction remoteDirection, List<Codec> codecs, Map<Integer, String> extensions,
                              List<Long> ssrcs, List<SsrcGroup> ssrcGroups, List<String> rids, Msid msid,
                              String cname) {
    public NegotiatedMedia {
        codecs = List.copyOf(codecs);
        extensions = Collections.unmodifiableMap(new TreeMap<>(extensions));
        ssrcs = List.copyOf(ssrcs);
        ssrcGroups = List.copyOf(ssrcGroups);
        rids = List.copyOf(rids);
    }

    public Codec codec(int pt) {
        for (Codec c : codecs) {
            if (c.pt() == pt) return c;
        }
        return null;
    }

    /** The header extension id for this URI on this m-line, or null. */
    public Integer extensionId(String uri) {
        for (Map.Entry<Integer, String> e : extensions.entrySet()) {
            if (e.getValue().equals(uri)) return e.getKey();
        }
        return null;
    }
}
