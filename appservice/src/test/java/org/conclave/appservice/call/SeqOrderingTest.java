package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeqOrderingTest {

    /** seq values as they arrive (one stream) | what is handed on, in order | how many were duplicates */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0 1 2 3     | 0 1 2 3 | 0
            1 0 2       | 0 1 2   | 0
            3 2 1 0     | 0 1 2 3 | 0
            0 0 1 1 2   | 0 1 2   | 2
            0 2 2 1     | 0 1 2   | 1
            2 0 2 1 0   | 0 1 2   | 2
            1 2 3       | ''      | 0
            0 1 5 4 2 3 | 0 1 2 3 4 5 | 0
            """)
    void messagesAreHandedOnInSeqOrderOnceEach(String arriving, String handedOn, int duplicates) {
        SeqOrdering<Long> ordering = new SeqOrdering<>();
        List<Long> out = new ArrayList<>();
        int dups = 0;
        for (String s : arriving.trim().split(" +")) {
            SeqOrdering.Outcome<Long> o = ordering.accept("@a:hs DEV call", Long.parseLong(s), Long.parseLong(s));
            out.addAll(o.ready());
            if (o.duplicate()) dups++;
            assertThat(o.gapSkipped()).isFalse();
        }
        assertThat(out).containsExactlyElementsOf(handedOn.isEmpty() ? List.of()
                : Arrays.stream(handedOn.trim().split(" +")).map(Long::parseLong).toList());
        assertThat(dups).isEqualTo(duplicates);
    }

    @Test
    void streamsAreIndependent() {
        SeqOrdering<String> ordering = new SeqOrdering<>();
        assertThat(ordering.accept("alice call1", 1, "a1").ready()).isEmpty();
        assertThat(ordering.accept("bob call1", 0, "b0").ready()).containsExactly("b0");
        assertThat(ordering.accept("alice call2", 0, "a'0").ready()).containsExactly("a'0");
        assertThat(ordering.accept("alice call1", 0, "a0").ready()).containsExactly("a0", "a1");
    }

    @Test
    void aGapThatNeverClosesIsGivenUpWhenTooManyWaitBehindIt() {
        SeqOrdering<Long> ordering = new SeqOrdering<>();
        for (long seq = 1; seq <= SeqOrdering.MAX_WAITING; seq++) {
            assertThat(ordering.accept("s", seq, seq).ready()).isEmpty();
        }
        SeqOrdering.Outcome<Long> o = ordering.accept("s", SeqOrdering.MAX_WAITING + 1, SeqOrdering.MAX_WAITING + 1L);

        assertThat(o.gapSkipped()).isTrue();
        assertThat(o.ready()).hasSize(SeqOrdering.MAX_WAITING + 1).startsWith(1L).endsWith(SeqOrdering.MAX_WAITING + 1L);
        // The lost message, arriving after all, is a duplicate now: the stream went past it.
        assertThat(ordering.accept("s", 0, 0L).duplicate()).isTrue();
    }

    @Test
    void aFinishedCallsStreamStillDropsItsLateRepeats() {
        SeqOrdering<String> ordering = new SeqOrdering<>();
        ordering.accept("s", 0, "invite");
        ordering.accept("s", 1, "hangup");

        SeqOrdering.Outcome<String> again = ordering.accept("s", 0, "invite");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.ready()).isEmpty();
    }
}
