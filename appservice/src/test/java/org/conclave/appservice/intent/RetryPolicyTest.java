package org.conclave.appservice.intent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
    private static final RetryPolicy POLICY = new RetryPolicy(5, 1_000);

    @ParameterizedTest(name = "after try {0}, status {1}, retry_after {2} -> {3}")
    @CsvSource(textBlock = """
            1, 0,   -1,     250
            2, 0,   -1,     500
            3, 502, -1,     1000
            4, 503, -1,     1000
            5, 503, -1,     -1
            1, 500, -1,     250
            1, 501, -1,     -1
            1, 400, -1,     -1
            1, 403, -1,     -1
            1, 404, -1,     -1
            1, 429, -1,     250
            1, 429, 3000,   3000
            1, 429, 0,      0
            1, 429, 9999999, 600000
            5, 429, 10,     -1
            1, 200, -1,     -1
            """)
    void table(int attempt, int status, long retryAfter, long expected) {
        assertThat(POLICY.delayAfter(attempt, status, retryAfter)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "cap {0}: backoff after {1} -> {2}")
    @CsvSource(textBlock = """
            30000, 1,  250
            30000, 7,  16000
            30000, 8,  30000
            30000, 99, 30000
            10,    1,  10
            10,    3,  10
            """)
    void backoffDoublesUpToTheCap(long cap, int attempt, long expected) {
        assertThat(new RetryPolicy(3, cap).backoff(attempt)).isEqualTo(expected);
    }
}
