package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every admitted participant was last told about the conference — its state, the hand queue, the dominant
 * speaker — and who is still to be welcomed, so each change goes out once and a newcomer gets the whole picture once.
 */
final class Bulletin {
    private final RoomOutbox outbox;
    private final List<String> welcomeDue = new ArrayList<>();
    private RoomState toldState;
    private List<String> toldQueue = List.of();
    private String toldDominant;

    Bulletin(RoomOutbox outbox, RoomState initial) {
        this.outbox = outbox;
        this.toldState = initial;
    }

    /** The participant was admitted: welcome it at the next {@link #welcomeNewcomers}. */
    void welcome(String endpointId) {
        welcomeDue.add(endpointId);
    }

    void forget(String endpointId) {
        welcomeDue.remove(endpointId);
    }

    /** Newcomers waiting for their welcome, in admission order; cleared by {@link #welcomeNewcomers}. */
    List<Participant> newcomers(Map<String, Participant> participants) {
        List<Participant> out = new ArrayList<>(welcomeDue.size());
        for (String id : welcomeDue) out.add(participants.get(id));
        return out;
    }

    /** Welcomes the newcomers (their first messages: who they are, the room's state). */
    void welcomeNewcomers(List<Participant> newcomers, RoomState state) {
        welcomeDue.clear();
        for (Participant p : newcomers) {
            outbox.send(p.endpointId, ServerMessages.welcome(p));
            outbox.send(p.endpointId, ServerMessages.roomState(state));
        }
    }

    /** Tells every admitted participant what changed since the last call; newcomers get the whole picture. */
    void tellChanges(List<Participant> newcomers, Collection<Participant> everyone, Map<String, Participant> byId,
            RoomState state, List<String> queue, String dominant) {
        boolean stateChanged = !state.equals(toldState);
        boolean queueChanged = !queue.equals(toldQueue);
        boolean dominantChanged = !Objects.equals(dominant, toldDominant);
        String stateJson = ServerMessages.roomState(state);
        String queueJson = ServerMessages.handQueue(queue.stream().map(byId::get).toList());
        Participant d = dominant == null ? null : byId.get(dominant);
        String dominantJson = ServerMessages.dominantSpeaker(dominant, d == null ? null : d.participantId);
        for (Participant p : everyone) {
            if (p.waiting) continue;
            boolean fresh = newcomers.contains(p);
            if (stateChanged && !fresh) outbox.send(p.endpointId, stateJson);
            if (fresh ? !queue.isEmpty() : queueChanged) outbox.send(p.endpointId, queueJson);
            if (fresh ? dominant != null : dominantChanged) outbox.send(p.endpointId, dominantJson);
            if (fresh && p.muted) outbox.send(p.endpointId, ServerMessages.pleaseMute(null));
        }
        toldState = state;
        toldQueue = queue;
        toldDominant = dominant;
    }
}
