package org.conclave.appservice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.conclave.sfu.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The limits of section {@code appservice}: read from the file, overridden by the environment, validated by key. */
class AppserviceLimitsTest {

    @Test
    void everyLimitIsReadAndTheEnvironmentWins() {
        ServerConfig config = ServerConfig.fromYaml("""
                appservice:
                  max_transaction_kib: 1024
                  max_event_depth: 32
                  max_transaction_depth: 5000
                  max_number_chars: 40
                  max_item_values: 100
                  max_transaction_values: 50000
                  transaction_ack_wait_ms: 500
                  homeserver_connections: 8
                  transaction_units_in_flight: 500
                """, Map.of("CONCLAVE_APPSERVICE_TRANSACTION_UNITS_IN_FLIGHT", "300",
                "CONCLAVE_APPSERVICE_MAX_TRANSACTION_DEPTH", "2000",
                "CONCLAVE_APPSERVICE_MAX_NUMBER_CHARS", "30", "CONCLAVE_APPSERVICE_MAX_TRANSACTION_VALUES", "40000"));

        assertThat(config.appservice().limits())
                .isEqualTo(new AppserviceLimits(1024, 32, 2000, 30, 100, 40_000, 500, 8, 300));
        assertThat(config.appservice().limits().maxTransactionBytes()).isEqualTo(1024 * 1024L);
    }

    @Test
    void defaults() {
        assertThat(ServerConfig.fromYaml("", Map.of()).appservice().limits()).isEqualTo(AppserviceLimits.DEFAULTS)
                .isEqualTo(new AppserviceLimits(32 * 1024, 64, 100_000, 100, 10_000, 4_000_000, 1_000, 32, 10_000));
    }

    /** yaml lines under appservice: | the whole message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            max_transaction_kib: 63         | appservice.max_transaction_kib: must be between 64 and 1048576, got 63
            max_transaction_kib: 1048577    | appservice.max_transaction_kib: must be between 64 and 1048576, got 1048577
            max_event_depth: 7              | appservice.max_event_depth: must be between 8 and 10000, got 7
            max_event_depth: 10001          | appservice.max_event_depth: must be between 8 and 10000, got 10001
            max_transaction_depth: 999      | appservice.max_transaction_depth: must be between 1000 and 1000000, got 999
            max_transaction_depth: 1000001  | appservice.max_transaction_depth: must be between 1000 and 1000000, got 1000001
            max_transaction_depth: '5000'   | appservice.max_transaction_depth: must be a whole number, got "5000" (a string)
            max_number_chars: 24            | appservice.max_number_chars: must be between 25 and 1000, got 24
            max_number_chars: 1001          | appservice.max_number_chars: must be between 25 and 1000, got 1001
            max_transaction_values: 999     | appservice.max_transaction_values: must be between 1000 and 1000000000, got 999
            max_transaction_values: 1000000001 | appservice.max_transaction_values: must be between 1000 and 1000000000, got 1000000001
            max_transaction_values: '4000000' | appservice.max_transaction_values: must be a whole number, got "4000000" (a string)
            max_item_values: 99             | appservice.max_item_values: must be between 100 and 1000000, got 99
            max_item_values: 1000001        | appservice.max_item_values: must be between 100 and 1000000, got 1000001
            transaction_ack_wait_ms: 9      | appservice.transaction_ack_wait_ms: must be between 10 and 600000, got 9
            homeserver_connections: 0       | appservice.homeserver_connections: must be between 1 and 1000, got 0
            transaction_units_in_flight: 9  | appservice.transaction_units_in_flight: must be between 10 and 10000000, got 9
            """)
    void aLimitOutOfItsRangeIsNamed(String line, String expected) {
        assertThatThrownBy(() -> ServerConfig.fromYaml("appservice:\n  " + line + "\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage(expected);
    }

    /** max_event_depth | max_transaction_depth | valid. */
    @ParameterizedTest(name = "event depth {0}, transaction depth {1} -> {2}")
    @CsvSource({"64, 1000, true", "999, 1000, true", "1000, 1000, false", "5000, 1000, false", "10000, 10001, true"})
    void theTransactionDepthMustExceedTheEventDepth(int eventDepth, int transactionDepth, boolean valid) {
        String yaml = "appservice:\n  max_event_depth: %d\n  max_transaction_depth: %d\n".formatted(eventDepth,
                transactionDepth);
        if (valid) {
            assertThat(ServerConfig.fromYaml(yaml, Map.of()).appservice().limits().maxTransactionDepth())
                    .isEqualTo(transactionDepth);
        } else {
            assertThatThrownBy(() -> ServerConfig.fromYaml(yaml, Map.of())).isInstanceOf(ConfigException.class)
                    .hasMessage("appservice.max_transaction_depth: must be greater than appservice.max_event_depth ("
                            + eventDepth + "), or deep events would refuse their whole transaction instead of being"
                            + " left out, got " + transactionDepth);
        }
    }

    /** max_item_values | max_transaction_values | valid: a homeserver's 300 items of max_item_values must fit. */
    @ParameterizedTest(name = "item values {0}, transaction values {1} -> {2}")
    @CsvSource({"10000, 4000000, true", "10000, 3001001, true", "10000, 3001000, false", "10000, 2000000, false",
        "100, 31001, true", "100, 31000, false", "1000000, 300001001, true", "1000000, 300001000, false"})
    void theTransactionValuesMustHoldAHomeserversItemsAtTheirLimit(int itemValues, int transactionValues,
            boolean valid) {
        String yaml = "appservice:\n  max_item_values: %d\n  max_transaction_values: %d\n".formatted(itemValues,
                transactionValues);
        if (valid) {
            assertThat(ServerConfig.fromYaml(yaml, Map.of()).appservice().limits().maxTransactionValues())
                    .isEqualTo(transactionValues);
        } else {
            assertThatThrownBy(() -> ServerConfig.fromYaml(yaml, Map.of())).isInstanceOf(ConfigException.class)
                    .hasMessage("appservice.max_transaction_values: must be greater than 300 times"
                            + " appservice.max_item_values (" + itemValues + ") + 1000 = " + (300L * itemValues + 1000)
                            + ", or a homeserver's transaction of 300 legal items could be refused, and it would be"
                            + " retried for ever, got " + transactionValues);
        }
    }
}
