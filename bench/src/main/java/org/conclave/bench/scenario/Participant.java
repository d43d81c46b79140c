package org.conclave.bench.scenario;

import java.util.List;

/**
 * One emulated participant.
 *
 * @param id global id within the scenario (0..)
 * @param room the conference it joins
 * @param publishes what it sends (may be empty: a pure viewer)
 * @param wants indices of the tracks it views, its own never among them
 */
public record Participant(int id, String room, List<Track> publishes, int[] wants) {
    public Participant {
        publishes = List.copyOf(publishes);
        wants = wants.clone();
    }

    public boolean publishesAudio() {
        return publishes.stream().anyMatch(t -> t.kind().isAudio());
    }

    public boolean publishesVideo() {
        return publishes.stream().anyMatch(t -> !t.kind().isAudio());
    }

    public String name() {
        return "p" + id;
    }
}
