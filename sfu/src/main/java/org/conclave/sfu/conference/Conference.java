package org.conclave.sfu.conference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.room.Room;
import org.conclave.sfu.sdp.Negotiated;
import org.conclave.sfu.sdp.NegotiatedMedia;

/** The endpoints that see each other's media, and its control protocol's {@link Room}. Control-thread state. */
final class Conference {
    final String id;
    final Room room;
    private final Map<String, Endpoint> members = new LinkedHashMap<>();
    /** Sticky: a conference that once required end-to-end encryption never stops requiring it. */
    boolean requireE2ee;

    Conference(String id, Room room) {
        this.id = id;
        this.room = room;
    }

    void add(Endpoint e) {
        members.put(e.id, e);
    }

    /** Forgets the endpoint; every other member stops receiving its sources (their next offer says so). */
    void remove(Endpoint leaving) {
        members.remove(leaving.id);
        for (Endpoint other : members.values()) other.stopSending(s -> s.endpointId().equals(leaving.id));
    }

    int size() {
        return members.size();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    List<Endpoint> members() {
        return List.copyOf(members.values());
    }

    List<Endpoint> others(Endpoint self) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : members.values()) {
            if (e != self) out.add(e);
        }
        return out;
    }

    /**
     * Receivers, subscriptions and spotlights name a track by its msid: a participant may not publish a track under
     * an msid another participant of the conference already uses (by accident or to hijack their subscriptions).
     */
    void refuseTakenTracks(Endpoint e, Negotiated offered) {
        for (NegotiatedMedia m : offered.upstream()) {
            // without an msid the SFU names the track after the endpoint; only sending m-lines become sources
            if (m.msid() == null || m.msid().trackId() == null || !m.remoteDirection().sends()) continue;
            for (Endpoint other : others(e)) {
                for (Source theirs : other.sources()) {
                    if (theirs.streamId().equals(m.msid().streamId()) && theirs.trackId().equals(m.msid().trackId())) {
                        throw new SfuException(FailureReason.BAD_SDP, "the track msid " + m.msid().streamId() + " "
                                + m.msid().trackId() + " is already published by another participant of the conference");
                    }
                }
            }
        }
    }

    /**
     * Tells every other endpoint that has negotiated about the sources {@code sender} added or dropped since
     * {@code previous}; a newcomer starts receiving everyone's.
     */
    void publishSources(Endpoint sender, List<Source> previous, boolean newcomer) {
        List<Source> now = sender.sources();
        List<Source> added = now.stream().filter(s -> !previous.contains(s)).toList();
        List<Source> removed = previous.stream().filter(s -> !now.contains(s)).toList();
        for (Endpoint other : others(sender)) {
            if (other.isNew()) continue; // it gets everyone's sources with its own first answer
            for (Source s : added) other.addDownstream(s);
            if (!removed.isEmpty()) other.stopSending(removed::contains);
            if (newcomer) {
                for (Source s : other.sources()) sender.addDownstream(s);
            }
        }
    }

    /** What receivers see of {@code senderId}'s streams changed (mute, purpose): those who receive them are told. */
    void streamMetadataChanged(String senderId) {
        for (Endpoint e : members.values()) {
            if (!e.id.equals(senderId)) e.refreshStreamMetadata();
        }
    }
}
