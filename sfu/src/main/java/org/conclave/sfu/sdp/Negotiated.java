package org.conclave.sfu.sdp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a negotiation, as plain data for the transport and forwarding code.
 *
 * @param remoteIce every ICE ufrag/password on the client's bundled or accepted m-lines (aiortc uses one per m-line)
 * @param remoteFingerprints the client's distinct DTLS fingerprints on those m-lines
 * @param rtcpReducedSize whether both sides agreed to reduced-size RTCP on every accepted RTP m-line
 * @param bundleMids accepted mids in BUNDLE order
 * @param media accepted m-lines in m-line order, upstream and downstream; an m-line the SFU sends on and the client
 *     publishes on too is in it twice, downstream first
 * @param payloadTypes bundle-wide view: payload type to its meaning (first m-line wins if a client reuses one)
 * @param extensionsByKind per media kind, header extension id to URI (exact even when a client reuses an id for
 *     different URIs in audio and video, as aiortc does); {@link NegotiatedMedia#extensions()} is exact per m-line
 * @param sctp the data channel parameters, or null when no data channel was accepted
 */
public record Negotiated(List<IceCredentials> remoteIce, List<Fingerprint> remoteFingerprints,
                         boolean rtcpReducedSize, List<String> bundleMids, List<NegotiatedMedia> media,
                         Map<Integer, PayloadType> payloadTypes, Map<MediaKind, Map<Integer, String>> extensionsByKind,
                         SctpParameters sctp) {
    public Negotiated {
        remoteIce = List.copyOf(remoteIce);
        remoteFingerprints = List.copyOf(remoteFingerprints);
        bundleMids = List.copyOf(bundleMids);
        media = List.copyOf(media);
        payloadTypes = Collections.unmodifiableMap(new TreeMap<>(payloadTypes));
        Map<MediaKind, Map<Integer, String>> byKind = new EnumMap<>(MediaKind.class);
        extensionsByKind.forEach((k, v) -> byKind.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        extensionsByKind = Collections.unmodifiableMap(byKind);
    }

    public List<String> remoteIceUfrags() {
        return remoteIce.stream().map(IceCredentials::ufrag).distinct().toList();
    }

    /** The client's media to the SFU. */
    public List<NegotiatedMedia> upstream() {
        return media.stream().filter(NegotiatedMedia::upstream).toList();
    }

    /** The m-lines the SFU created to send on. */
    public List<NegotiatedMedia> downstream() {
        return media.stream().filter(m -> !m.upstream()).toList();
    }

    /** The m-line with this mid (the downstream reading of one the SFU created), or null. */
    public NegotiatedMedia media(String mid) {
        for (NegotiatedMedia m : media) {
            if (m.mid().equals(mid)) return m;
        }
        return null;
    }

    /** The client's media on the m-line with this mid, or null when it sends nothing the SFU takes there. */
    public NegotiatedMedia upstream(String mid) {
        for (NegotiatedMedia m : media) {
            if (m.upstream() && m.mid().equals(mid)) return m;
        }
        return null;
    }

    /** Header extension id to URI for a kind; empty if none. */
    public Map<Integer, String> extensions(MediaKind kind) {
        return extensionsByKind.getOrDefault(kind, Map.of());
    }
}
