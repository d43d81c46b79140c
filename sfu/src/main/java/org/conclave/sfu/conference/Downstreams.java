package org.conclave.sfu.conference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.sdp.MediaDescription;
import org.conclave.sfu.sdp.NegotiatedMedia;
import org.conclave.sfu.sdp.NegotiationState;

/**
 * The m-lines the SFU sends one endpoint other participants' sources on ({@link Downstream}, mids {@code s0},
 * {@code s1}, ...), and which of them an SDP sent to the client has carried. Control-thread state.
 *
 * <p>An m-line can never leave a session, so a line whose source left is reused for the next new source of its kind
 * once the client has seen it inactive (JSEP lets an offerer change a line's direction, msid and SSRCs; the browser
 * fires {@code track} again with the new stream). Without reuse a participant who stays while others come and go
 * collects two lines per visit until its session outgrows {@code sfu.sdp_max_media_sections} and every
 * renegotiation costs the browser a transceiver per past visitor (found by the hour-long soak).
 */
final class Downstreams {
    private final List<Downstream> lines = new ArrayList<>();
    /** Mids some SDP the SFU sent to the client (answer or offer) carried. */
    private final Set<String> described = new HashSet<>();
    private int nextMid;

    /**
     * An m-line for {@code source}, the next offer carries it: a line of its kind that {@code completed} (the last
     * exchange with the client, null before the first) shows inactive and not published on by the client, else a new
     * one.
     */
    void add(Source source, NegotiationState completed) {
        for (int i = 0; i < lines.size(); i++) {
            Downstream d = lines.get(i);
            if (!d.active && d.source.kind() == source.kind() && idleIn(completed, d.mid)) {
                lines.set(i, new Downstream(d.mid, source));
                return;
            }
        }
        lines.add(new Downstream("s" + (nextMid++), source));
    }

    /** The client accepted the m-line and neither side sends on it: it may carry another source. */
    private static boolean idleIn(NegotiationState completed, String mid) {
        if (completed == null || !completed.downstreamMids().contains(mid)) return false;
        List<MediaDescription> local = completed.local().media();
        for (int i = 0; i < local.size(); i++) {
            if (!mid.equals(local.get(i).mid())) continue;
            return completed.accepted(i) && !local.get(i).effectiveDirection().sends() && !completed.clientPublishes(i);
        }
        return false;
    }

    /**
     * Stops sending the matching sources: their m-lines turn inactive (m-lines are never removed from a session), or
     * vanish if no SDP carried them yet. Returns whether anything changed.
     */
    boolean stopSending(Predicate<Source> which) {
        boolean changed = false;
        for (var it = lines.iterator(); it.hasNext(); ) {
            Downstream d = it.next();
            if (!d.active || !which.test(d.source)) continue;
            changed = true;
            if (!described.contains(d.mid)) {
                it.remove();
            } else {
                d.active = false;
                d.subscribed = false;
            }
        }
        return changed;
    }

    /** These mids went to the client in an SDP. */
    void described(Set<String> mids) {
        described.addAll(mids);
    }

    Set<String> describedMids() {
        return Collections.unmodifiableSet(described);
    }

    /**
     * Whether what the SFU sends now differs from {@code completed}: a source it carries no m-line for (or only an
     * idle one, reused), or one it still sends that is gone. (A line the client declined stays declined; a departed
     * source never comes back.)
     */
    boolean differsFrom(NegotiationState completed) {
        for (Downstream d : lines) {
            if (!completed.downstreamMids().contains(d.mid)) {
                if (d.active) return true;
            } else if (d.active ? idleIn(completed, d.mid) : sends(completed, d.mid)) {
                return true; // a reused line the client still knows idle, or one it still receives a gone source on
            }
        }
        return false;
    }

    /**
     * Whether the SFU may send on this negotiated line: its offer sent there (an offer can carry a reused line still
     * idle) and the client's answer receives (a client that answers {@code inactive} wants nothing there).
     */
    static boolean flows(NegotiatedMedia m) {
        return m.localDirection() != null && m.localDirection().sends()
                && (m.remoteDirection() == null || m.remoteDirection().receives());
    }

    private static boolean sends(NegotiationState completed, String mid) {
        List<MediaDescription> local = completed.local().media();
        for (int i = 0; i < local.size(); i++) {
            if (mid.equals(local.get(i).mid())) return completed.accepted(i) && local.get(i).effectiveDirection().sends();
        }
        return false;
    }

    /** The live video m-line carrying the sender track the receiver knows as streamId/trackId, or null. */
    Downstream video(String streamId, String trackId) {
        for (Downstream d : lines) {
            if (d.active && d.source.kind() == MediaKind.VIDEO && d.source.streamId().equals(streamId)
                    && d.source.trackId().equals(trackId)) return d;
        }
        return null;
    }

    /** Every m-line, in the order they were added (the order of the session). */
    List<Downstream> list() {
        return Collections.unmodifiableList(lines);
    }
}
