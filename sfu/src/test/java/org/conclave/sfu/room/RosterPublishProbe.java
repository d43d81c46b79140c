package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.control.Role;

/**
 * Not a test: times one roster change for rooms of N = 10, 50, 100, 200 (docs/reliability.md, issue #16), median of
 * several repetitions. "roster": {@link Roster#publish} and {@link ReferenceRoster#publish} (the roster before issue
 * #16) on the same entries, subscribers and changes, in one run. "room": a whole {@code Room} change (a guest's hand
 * up or down: what {@code Room.publish} costs, video qualities included), for whichever Room is on the classpath.
 * Run: {@code java -cp <test-classes>:<classes>:<deps> org.conclave.sfu.room.RosterPublishProbe [repetitions]}.
 */
public final class RosterPublishProbe {
    private static final int[] SIZES = {10, 50, 100, 200};
    private static final RoomOutbox DISCARD = new RoomOutbox() {
        @Override
        public void send(String endpointId, String json) {}

        @Override
        public void refused(String endpointId, ErrorCode code) {}
    };

    private interface Publisher {
        void subscribe(String id, boolean host);

        void remove(String id);

        void setFilter(String id, RosterFilter f);

        void publish(List<RosterEntry> entries);
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        for (int n : SIZES) {
            double[] before = new double[reps];
            double[] after = new double[reps];
            double[] room = new double[reps];
            for (int r = 0; r < reps; r++) {
                before[r] = rosterChange(n, reference());
                after[r] = rosterChange(n, incremental());
                room[r] = roomChange(n);
            }
            System.out.printf("N=%3d  roster before %9.1f us  after %7.1f us   room change %9.1f us  (medians of %d)%n",
                    n, median(before), median(after), median(room), reps);
        }
    }

    private static Publisher reference() {
        ReferenceRoster r = new ReferenceRoster();
        return new Publisher() {
            public void subscribe(String id, boolean host) { r.subscribe(id, host); }
            public void remove(String id) { r.remove(id); }
            public void setFilter(String id, RosterFilter f) { r.setFilter(id, f, null); }
            public void publish(List<RosterEntry> entries) { r.publish(entries, DISCARD); }
        };
    }

    private static Publisher incremental() {
        Roster r = new Roster();
        return new Publisher() {
            public void subscribe(String id, boolean host) { r.subscribe(id, host); }
            public void remove(String id) { r.remove(id); }
            public void setFilter(String id, RosterFilter f) { r.setFilter(id, f, null); }
            public void publish(List<RosterEntry> entries) { r.publish(entries, DISCARD); }
        };
    }

    private static RosterEntry entry(int i, int hand) {
        return new RosterEntry("e" + i, "@p" + i + ":example.org", i % 5 == 0 ? Role.HOST : Role.GUEST, false, false,
                hand, false, false, false, false, false);
    }

    /**
     * Microseconds per change in a room of n subscribers (every fifth a host, every seventh filtering raised hands):
     * changes alternate between one hand going up or down and one participant joining or leaving.
     */
    private static double rosterChange(int n, Publisher p) {
        List<RosterEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(entry(i, 0));
            p.subscribe("e" + i, i % 5 == 0);
            if (i % 7 == 0) p.setFilter("e" + i, new RosterFilter(Set.of(RosterCriterion.HAND_RAISED), ""));
        }
        p.publish(List.copyOf(entries));
        int changes = Math.max(200, 200_000 / n);
        for (int warm = 0; warm < 2; warm++) {
            long start = System.nanoTime();
            for (int c = 0; c < changes; c++) {
                if (c % 2 == 0) {
                    int i = (c / 2) % n;
                    entries.set(i, entry(i, entries.get(i).handPosition() == 0 ? 1 : 0));
                } else if (entries.size() > n) {
                    entries.remove(n);
                    p.remove("e" + n);
                } else {
                    entries.add(entry(n, 0));
                    p.subscribe("e" + n, false);
                }
                p.publish(List.copyOf(entries));
            }
            if (warm == 1) return (System.nanoTime() - start) / 1e3 / changes;
        }
        throw new AssertionError();
    }

    /** Microseconds per hand up or down in a Room of n participants, each publishing audio and video. */
    private static double roomChange(int n) {
        Room room = new Room("probe", RoomOptions.DEFAULTS, new FakeClock(), new NoMedia(), DISCARD);
        for (int i = 0; i < n; i++) {
            room.join("e" + i, "@p" + i + ":example.org", i % 5 == 0 ? Role.HOST : Role.GUEST);
            room.setTracks("e" + i, List.of(new RoomTrack("s" + i, "a" + i, MediaKind.AUDIO),
                    new RoomTrack("s" + i, "v" + i, MediaKind.VIDEO)));
        }
        int changes = Math.max(100, 20_000 / n);
        for (int warm = 0; warm < 2; warm++) {
            long start = System.nanoTime();
            for (int c = 0; c < changes; c++) {
                String type = c % 2 == 0 ? "org.conclave.raise_hand" : "org.conclave.lower_hand";
                room.onMessage("e" + (c / 2) % n, "{\"type\":\"" + type + "\",\"content\":{}}");
            }
            if (warm == 1) return (System.nanoTime() - start) / 1e3 / changes;
        }
        throw new AssertionError();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static final class NoMedia implements RoomMedia {
        public void setAudioForwarded(String endpointId, boolean forwarded) {}
        public void setAdmitted(String endpointId, boolean admitted) {}
        public void setVideoQuality(String receiver, String sender, String streamId, String trackId,
                org.conclave.sfu.control.VideoQuality q, String reason) {}
        public void streamMetadataChanged(String endpointId) {}
        public void disconnect(String endpointId, String reason) {}
    }
}
