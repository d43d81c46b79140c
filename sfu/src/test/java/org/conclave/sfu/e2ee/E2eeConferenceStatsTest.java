package org.conclave.sfu.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class E2eeConferenceStatsTest {
    @Test
    void sumsEndpointsPerConference() {
        Map<String, E2eeConferenceStats> c = E2eeConferenceStats.of(List.of(
                new E2eeEndpointStats("a", "e1", E2eeState.FORWARDING, 100, 7, 0, 12, 0, 0),
                new E2eeEndpointStats("a", "e2", E2eeState.HELD, 0, 90, 0, 400, 2, 1),
                new E2eeEndpointStats("b", "e3", E2eeState.LEARNING, 0, 3, 0, 3, 0, 0)));
        assertThat(c.keySet()).containsExactly("a", "b");
        assertThat(c.get("a")).isEqualTo(new E2eeConferenceStats("a", 2, 1, 100, 97, 412, 2));
        assertThat(c.get("b")).isEqualTo(new E2eeConferenceStats("b", 1, 0, 0, 3, 3, 0));
    }
}
