package org.conclave.sfu.sdp;

import java.util.Objects;
import java.util.Set;

/**
 * The last completed offer/answer exchange with one client: what the SFU said and what the client said, m-line by
 * m-line, plus which m-lines the SFU created to send on. Re-offers start from here. An endpoint keeps one for its
 * whole session, so both descriptions are kept compacted: equal parts (the codec, feedback, extension, fingerprint and
 * ICE lines every m-line repeats) are one object ({@link Compactor}); they equal the descriptions given.
 *
 * @param local the SFU's description (its answer, or its re-offer)
 * @param remote the client's description (its offer, or its answer to our re-offer)
 * @param downstreamMids mids of the m-lines the SFU created (all others carry the client's upstream media)
 */
public record NegotiationState(SessionDescription local, SessionDescription remote, Set<String> downstreamMids) {
    public NegotiationState {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        downstreamMids = Set.copyOf(downstreamMids);
        // kept for the whole session: equal lines, records and strings become one object (Compactor)
        Compactor shared = new Compactor();
        local = shared.compact(local);
        remote = shared.compact(remote);
        if (local.media().size() != remote.media().size()) {
            throw new IllegalArgumentException("local and remote descriptions have different m-line counts");
        }
        for (int i = 0; i < local.media().size(); i++) {
            if (!Objects.equals(local.media().get(i).mid(), remote.media().get(i).mid())) {
                throw new IllegalArgumentException("m-line " + i + " has different mids on the two sides");
            }
        }
    }

    /** Whether m-line i was accepted by both sides (a bundle-only offer section counts as accepted). */
    public boolean accepted(int i) {
        MediaDescription l = local.media().get(i);
        MediaDescription r = remote.media().get(i);
        return l.port() != 0 && (r.port() != 0 || r.isBundleOnly());
    }

    public boolean isDownstream(MediaDescription m) {
        return m.mid() != null && downstreamMids.contains(m.mid());
    }

    /** Whether the client publishes on m-line i, which the SFU created, and the SFU took it (receives there). */
    public boolean clientPublishes(int i) {
        return accepted(i) && isDownstream(local.media().get(i)) && local.media().get(i).effectiveDirection().receives()
                && remote.media().get(i).effectiveDirection().sends();
    }

    /** The summary the forwarding code uses. */
    public Negotiated negotiated() {
        return Summarizer.summarize(this);
    }
}
