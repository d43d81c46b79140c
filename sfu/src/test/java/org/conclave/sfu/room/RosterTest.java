package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Roster} against {@link ReferenceRoster} on any entry lists, and what one change costs it. */
class RosterTest {

    private static RosterEntry entry(Random r, String id) {
        return new RosterEntry(id, "@" + id + ":example.org", r.nextInt(3) == 0 ? Role.HOST : Role.GUEST,
                r.nextInt(4) == 0, r.nextInt(4) == 0, r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0, r.nextInt(6) == 0,
                r.nextInt(4) == 0, r.nextInt(4) == 0, r.nextInt(4) == 0, r.nextInt(8) == 0);
    }

    private static RosterFilter filter(Random r) {
        List<RosterCriterion> c = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) c.add(RosterCriterion.values()[r.nextInt(RosterCriterion.values().length)]);
        return new RosterFilter(Set.copyOf(c), r.nextInt(3) == 0 ? "1" : "");
    }

    /**
     * Entries change a few at a time, come, go, and are reordered (which the room never does, but the messages must
     * not depend on it); views subscribe, leave and change filters between publishes.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void sendsByteForByteWhatTheReferenceSends(long seed) {
        Random r = new Random(seed);
        Roster roster = new Roster();
        ReferenceRoster reference = new ReferenceRoster();
        RawOutbox out = new RawOutbox();
        RawOutbox expected = new RawOutbox();
        List<RosterEntry> entries = new ArrayList<>();
        for (int step = 0; step < 1500; step++) {
            int ops = r.nextInt(4);
            for (int i = 0; i < ops; i++) {
                String id = "e" + r.nextInt(25);
                int at = indexOf(entries, id);
                switch (r.nextInt(8)) {
                    case 0 -> { if (at >= 0) entries.remove(at); }
                    case 1 -> {
                        boolean host = r.nextBoolean();
                        roster.subscribe(id, host);
                        reference.subscribe(id, host);
                    }
                    case 2 -> { roster.remove(id); reference.remove(id); }
                    case 3 -> {
                        RosterFilter f = filter(r);
                        String req = r.nextBoolean() ? null : "q" + step;
                        roster.setFilter(id, f, req);
                        reference.setFilter(id, f, req);
                    }
                    case 4 -> { if (r.nextInt(10) == 0) Collections.shuffle(entries, r); }
                    default -> {
                        if (at >= 0) entries.set(at, entry(r, id));
                        else entries.add(entry(r, id));
                    }
                }
            }
            roster.publish(List.copyOf(entries), out);
            reference.publish(List.copyOf(entries), expected);
            assertThat(out.sent).as("seed %d step %d", seed, step).isEqualTo(expected.sent);
        }
    }

    private static int indexOf(List<RosterEntry> entries, String id) {
        for (int i = 0; i < entries.size(); i++) if (entries.get(i).id().equals(id)) return i;
        return -1;
    }

    /**
     * The cost issue #16 is about: one hand going up in a room of 300, every one of them subscribed, reads the
     * room's entries a few times in all, not once per subscriber (the reference reads them 90,000 times).
     */
    @Test
    void oneChangeReadsTheEntriesAFewTimesNotOncePerSubscriber() {
        Random r = new Random(5);
        Roster roster = new Roster();
        List<RosterEntry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(entry(r, "e" + i));
            roster.subscribe("e" + i, i % 10 == 0);
        }
        RawOutbox out = new RawOutbox();
        roster.publish(List.copyOf(entries), out);
        assertThat(out.sent).hasSize(300); // the snapshots
        RosterEntry e = entries.get(150);
        entries.set(150, new RosterEntry(e.id(), e.participant(), e.role(), e.speaking(), false,
                e.handPosition() + 1, e.spotlight(), e.audioOnly(), e.muted(), e.selfMuted(), e.mediaRefused()));
        CountingList counted = new CountingList(entries);
        roster.publish(counted, out);
        assertThat(counted.reads).isLessThanOrEqualTo(3 * 300);
        assertThat(out.sent).hasSize(300 + 300);
    }

    /** A list that counts how many elements were read (its iterator reads through get). */
    private static final class CountingList extends AbstractList<RosterEntry> {
        private final List<RosterEntry> inner;
        int reads;

        CountingList(List<RosterEntry> inner) {
            this.inner = List.copyOf(inner);
        }

        @Override
        public RosterEntry get(int index) {
            reads++;
            return inner.get(index);
        }

        @Override
        public int size() {
            return inner.size();
        }
    }
}
