package org.conclave.bench.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A shape of conference grown step by step; the runner measures after every step and stops at the first step whose
 * loss is too high.
 *
 * @param name short id used on the command line ("meeting")
 * @param title one line for the table
 * @param tracks every track of every step, by index
 */
public record Scenario(String name, String title, List<Step> steps, List<Track> tracks) {
    public Scenario {
        steps = List.copyOf(steps);
        tracks = List.copyOf(tracks);
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).index() != i) throw new IllegalArgumentException("track " + i + " has index " + tracks.get(i).index());
        }
    }

    /** Everyone who has joined once steps 0..step are done. */
    public List<Participant> participantsUpTo(int step) {
        List<Participant> all = new ArrayList<>();
        for (int i = 0; i <= step; i++) all.addAll(steps.get(i).joining());
        return all;
    }

    public Track track(int index) {
        return tracks.get(index);
    }
}
