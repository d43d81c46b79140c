package org.conclave.appservice.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppserviceMetricsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, no_answer", "200, ok", "201, ok", "400, client_error", "404, client_error", "429, rate_limited",
        "500, server_error", "502, server_error"})
    void homeserverAnswersByOutcome(int status, String outcome) {
        assertThat(AppserviceMetrics.outcome(status)).isEqualTo(outcome);
    }
}
