package org.conclave.sfu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValidatorTest {

    @ParameterizedTest(name = "{0} -> ip {1}, host {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0              | true  | false
            255.255.255.255      | true  | false
            192.168.1.10         | true  | false
            256.1.1.1            | false | false
            1.2.3                | false | false
            01.2.3.4             | false | false
            ::                   | true  | false
            ::1                  | true  | false
            2001:db8::1          | true  | false
            ::ffff:192.0.2.1     | true  | false
            2001:db8:::1         | false | false
            [::1]                | false | false
            localhost            | false | true
            media.example.org    | false | true
            media.example.org.   | false | true
            xn--bcher-kva.example| false | true
            -bad.example         | false | false
            bad-.example         | false | false
            under_score.example  | false | false
            two..dots            | false | false
            bad host             | false | false
            example.123          | false | false
            """)
    void recognisesAddressesAndHostNames(String value, boolean ip, boolean host) {
        assertThat(ConfigValidator.isIpLiteral(value)).isEqualTo(ip);
        assertThat(ConfigValidator.isHostName(value)).isEqualTo(host);
    }

    @Test
    void hostNameLongerThan253CharactersIsRejected() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, label);

        assertThat(name.length()).isEqualTo(255);
        assertThat(ConfigValidator.isHostName(name)).isFalse();
        assertThat(ConfigValidator.isHostName(name.substring(4))).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.1:8008          | true
            https://matrix.example.org     | true
            HTTP://[::1]:8008/             | true
            ftp://example.org              | false
            127.0.0.1:8008                 | false
            http://                        | false
            http://example.org/?x=1        | false
            http://example.org/#frag       | false
            http://user:pw@example.org     | false
            http://exa mple.org            | false
            """)
    void recognisesHttpUrls(String value, boolean valid) {
        ConfigValidator v = new ConfigValidator("appservice").httpUrl("homeserver_url", value, "http://h:1");

        assertThat(v.problems().isEmpty()).isEqualTo(valid);
    }

    @Test
    void collectsAndThrowsAllProblemsInOrder() {
        ConfigValidator v = new ConfigValidator("s")
                .range("a", 5, 1, 4)
                .matches("b", "BAD", Pattern.compile("[a-z]+"), "must be lower-case letters")
                .require(false, "c", "must be something else")
                .range("d", 2, 1, 4);

        assertThatThrownBy(v::throwIfInvalid).isInstanceOf(ConfigException.class).hasMessage("""
                s.a: must be between 1 and 4, got 5
                s.b: must be lower-case letters, got "BAD"
                s.c: must be something else""");
    }

    @Test
    void noProblemNoThrow() {
        ConfigValidator v = new ConfigValidator("s").range("a", 4, 1, 4).ipAddress("b", "::");

        assertThat(v.problems()).isEmpty();
        v.throwIfInvalid();
    }
}
