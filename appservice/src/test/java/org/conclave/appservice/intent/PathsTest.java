package org.conclave.appservice.intent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            !room:example.org      | %21room%3Aexample.org
            @_conclave_a:hs        | %40_conclave_a%3Ahs
            $ev/../x?y#z           | %24ev%2F..%2Fx%3Fy%23z
            m.room.member          | m.room.member
            ü                      | %C3%BC
            a b~                   | a%20b~
            """)
    void segmentsCannotEscapeTheirPlace(String value, String encoded) {
        assertThat(Paths.segment(value)).isEqualTo(encoded);
    }

    @Test
    void emptySegmentStaysEmpty() {
        assertThat(Paths.segment("")).isEmpty();
    }

    @Test
    void derivedTransactionIdsAreStableAndDistinct() {
        String id = TxnIds.derived("$event", "answer");

        assertThat(TxnIds.derived("$event", "answer")).isEqualTo(id).matches("conclave_[A-Za-z0-9_-]{24}");
        assertThat(TxnIds.derived("$event", "hangup")).isNotEqualTo(id);
        assertThat(TxnIds.derived("$event2", "answer")).isNotEqualTo(id);
        // The separator keeps ("ab","c") and ("a","bc") apart.
        assertThat(TxnIds.derived("ab", "c")).isNotEqualTo(TxnIds.derived("a", "bc"));
        assertThat(TxnIds.fresh()).isNotEqualTo(TxnIds.fresh());
    }
}
