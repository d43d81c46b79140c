package org.conclave.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** The candidate parser throws nothing but {@link CandidateParseException}, and what it accepts is in range. */
class CandidateFuzzTest {

    @FuzzTest
    void parseCandidate(byte[] data) {
        String line = new String(data, StandardCharsets.UTF_8);
        IceCandidate c;
        try {
            c = IceCandidates.parse(line);
        } catch (CandidateParseException expected) {
            return;
        }
        assertThat(c.component()).isBetween(1, 256);
        assertThat(c.priority()).isBetween(1L, (1L << 31) - 1);
        assertThat(c.port()).isBetween(0, 65535);
        assertThat(c.relatedPort()).isBetween(-1, 65535);
        assertThat(c.type()).isIn("host", "srflx", "prflx", "relay");
        assertThat(c.foundation()).matches("[A-Za-z0-9+/]{1,32}");
        assertThat(c.address()).matches("[A-Za-z0-9.:-]+");
    }
}
