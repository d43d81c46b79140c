package org.conclave.bench.target;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.client.MediaLine;
import org.conclave.bench.load.Generator;
import org.conclave.bench.load.OutgoingTrack;
import org.conclave.bench.scenario.Participant;
import org.conclave.bench.scenario.Track;

/** The generator's side of one participant in one target: its transports and what it already receives. */
final class Rig {
    final Participant participant;
    /** Sends the participant's tracks (and receives, for targets with one connection per participant). */
    BenchTransport publisher;
    /** Receives (Janus gives subscriptions their own connection). */
    BenchTransport subscriber;
    /** Track indices the server confirmed it sends this participant. */
    final Set<Integer> receiving = new HashSet<>();
    /** Version of the answer {@link #receiving} came from. */
    long receivingVersion;
    String endpointId;

    Rig(Participant participant) {
        this.participant = participant;
    }

    /** The tracks this participant wants that somebody in {@code everyone} publishes. */
    static Set<Integer> available(Participant p, List<Participant> everyone) {
        Set<Integer> published = new HashSet<>();
        for (Participant o : everyone) {
            for (Track t : o.publishes()) published.add(t.index());
        }
        Set<Integer> out = new HashSet<>();
        for (int w : p.wants()) {
            if (published.contains(w)) out.add(w);
        }
        return out;
    }

    static boolean[] mask(Participant p, int tracks) {
        boolean[] m = new boolean[tracks];
        for (int w : p.wants()) m[w] = true;
        return m;
    }

    /**
     * Prepares the participant's outgoing tracks on {@code t} and returns their m-lines, plus receive-only lines for
     * a media kind it wants but does not send, when {@code receiveLines} (one-connection targets need a line of each
     * kind they receive, to learn the client's payload types).
     */
    List<MediaLine> publishLines(Generator g, BenchTransport t, List<Track> allTracks, boolean receiveLines) {
        List<MediaLine> lines = new ArrayList<>();
        for (Track tr : participant.publishes()) {
            OutgoingTrack o = g.prepare(tr, t);
            lines.add(new MediaLine(tr.kind().isAudio(), tr.mid(), true, o.ssrc(), participant.name(), "t" + tr.index()));
        }
        if (receiveLines) {
            boolean wantsAudio = false;
            boolean wantsVideo = false;
            for (int w : participant.wants()) {
                if (allTracks.get(w).kind().isAudio()) wantsAudio = true;
                else wantsVideo = true;
            }
            if (wantsAudio && !participant.publishesAudio()) lines.add(MediaLine.receiving(true, "ra"));
            if (wantsVideo && !participant.publishesVideo()) lines.add(MediaLine.receiving(false, "rv"));
        }
        return lines;
    }

    /** "t12" -> 12, anything else -> -1. */
    static int trackIndex(String trackId) {
        if (trackId == null || trackId.length() < 2 || trackId.charAt(0) != 't') return -1;
        try {
            return Integer.parseInt(trackId.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
