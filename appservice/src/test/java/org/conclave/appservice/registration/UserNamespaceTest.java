package org.conclave.appservice.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.conclave.appservice.config.AppserviceConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserNamespaceTest {
    private static final AppserviceConfig CONFIG = new AppserviceConfig("http://127.0.0.1:8008", "example.org",
            "127.0.0.1", 8009, "conclave", "conclave", "_conclave_", "var/registration.yaml");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            @conclave:example.org               | true
            @_conclave_:example.org             | true
            @_conclave_room1:example.org        | true
            @_conclave_a:b:example.org          | false
            @_conclave_x:example.org.evil       | false
            @_conclave_x:other.org              | false
            @conclave2:example.org              | false
            @alice:example.org                  | false
            _conclave_x:example.org             | false
            @_conclave_                         | false
            """)
    void containsExactlyTheRegisteredUsers(String userId, boolean expected) {
        assertThat(new UserNamespace(CONFIG).contains(userId)).isEqualTo(expected);
        // Agrees with the registration's regexes matched in full, for ids with one ':' (valid user ids).
        boolean oneColon = userId.indexOf(':') == userId.lastIndexOf(':');
        boolean byRegex = oneColon && Registration.expectedUserRegexes(CONFIG).stream()
                .anyMatch(r -> Pattern.compile(r).matcher(userId).matches());
        assertThat(byRegex).isEqualTo(expected);
    }
}
