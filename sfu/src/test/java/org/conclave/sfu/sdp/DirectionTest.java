package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectionTest {

    /** fromToken's switch names every direction by its own token, and nothing else (it is case-sensitive, as SDP is). */
    @Test
    void everyTokenAndNothingElse() {
        for (Direction d : Direction.values()) {
            assertThat(Direction.fromToken(d.token())).isSameAs(d);
            assertThat(Direction.fromToken(d.token().toUpperCase(java.util.Locale.ROOT))).isNull();
        }
        assertThat(Direction.fromToken("mid")).isNull();
        assertThat(Direction.fromToken("")).isNull();
        assertThat(Direction.fromToken(null)).isNull();
    }
}
