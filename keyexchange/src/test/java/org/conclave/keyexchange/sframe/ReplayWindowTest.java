package org.conclave.keyexchange.sframe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table: counters accepted in order, then the counter asked about, then whether it is fresh. */
class ReplayWindowTest {

    @ParameterizedTest(name = "after [{0}] ctr {1} fresh={2}")
    @CsvSource({
            "'', 0, true",
            "'0', 0, false",
            "'0', 1, true",
            "'5', 3, true",          // late but inside the window
            "'5 3', 3, false",       // duplicate of a late one
            "'200', 73, true",       // 127 behind: last slot
            "'200', 72, false",      // 128 behind: too old
            "'200 73', 73, false",
            "'10 300', 10, false",   // jumped forward by more than the window: old ones are gone
            "'10 100', 10, false",   // still remembered 90 behind
            "'10 100', 11, true",
            "'63 64 127', 63, false", // crossing the 64-bit word boundary
            "'63 64 127', 62, true",
            "'0 64', 0, false",
            "'0 65', 1, true",
            "'-2', -1, true",        // unsigned: 2^64-1 is above 2^64-2
            "'-1', 0, false",        // 0 is far below 2^64-1
            "'-1', -2, true",
    })
    void table(String accepted, long ctr, boolean fresh) {
        ReplayWindow w = new ReplayWindow();
        if (!accepted.isBlank()) {
            for (String s : accepted.trim().split(" ")) {
                long c = Long.parseLong(s);
                w.accept(c);
                assertThat(w.isFresh(c)).as("just accepted %s", s).isFalse();
            }
        }
        assertThat(w.isFresh(ctr)).isEqualTo(fresh);
    }
}
