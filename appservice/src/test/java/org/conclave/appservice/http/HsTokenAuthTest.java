package org.conclave.appservice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HsTokenAuthTest {
    private static final HsTokenAuth AUTH = new HsTokenAuth("secret");

    /** Headers and query values are ';'-separated lists; '-' is none. */
    @ParameterizedTest(name = "headers [{0}] query [{1}] -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            -                       | -               | MISSING
            Bearer secret           | -               | OK
            bearer secret           | -               | OK
            BEARER   secret         | -               | OK
            -                       | secret          | OK
            Bearer secret           | secret          | OK
            Bearer                  | secret          | OK
            Bearer x                | -               | WRONG
            -                       | x               | WRONG
            Bearer secret           | x               | WRONG
            Bearer x                | secret          | WRONG
            Bearer secret;Bearer x  | -               | WRONG
            -                       | secret;x        | WRONG
            Bearer secretx          | -               | WRONG
            Bearer secre            | -               | WRONG
            Basic secret            | -               | MISSING
            Basic secret            | secret          | OK
            Bearer                  | -               | MISSING
            Bearersecret            | -               | MISSING
            -                       | ''              | MISSING
            """)
    void table(String headers, String query, HsTokenAuth.Result expected) {
        assertThat(AUTH.check(list(headers), list(query))).isEqualTo(expected);
    }

    @Test
    void anEmptyTokenCannotBeConfigured() {
        assertThatThrownBy(() -> new HsTokenAuth("")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> list(String spec) {
        if (spec.equals("-")) return List.of();
        return Arrays.asList(spec.split(";", -1));
    }
}
