package org.conclave.appservice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.conclave.sfu.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallConfigTest {

    @Test
    void defaultsAllowEveryServerAndMakeModeratorsHosts() {
        CallConfig c = ServerConfig.fromYaml("", Map.of()).calls();
        assertThat(c).isEqualTo(CallConfig.defaults());
        assertThat(c.allows("anywhere.example")).isTrue();
        assertThat(c.hostPowerLevel()).isEqualTo(50);
        assertThat(c.requireE2eeInEncryptedRooms()).isTrue();
    }

    @Test
    void environmentOverridesTheFile() {
        CallConfig c = ServerConfig.fromYaml("calls:\n  allowed_servers: [a.org]\n  host_power_level: 100\n",
                Map.of("CONCLAVE_CALLS_ALLOWED_SERVERS", "b.org, c.org:8448",
                        "CONCLAVE_CALLS_REQUIRE_E2EE_IN_ENCRYPTED_ROOMS", "false")).calls();
        assertThat(c.allowedServers()).containsExactly("b.org", "c.org:8448");
        assertThat(c.allows("a.org")).isFalse();
        assertThat(c.allows("c.org:8448")).isTrue();
        assertThat(c.hostPowerLevel()).isEqualTo(100);
        assertThat(c.requireE2eeInEncryptedRooms()).isFalse();
    }

    /** yaml of section calls | the message's start */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "host_power_level: -1          | calls.host_power_level: must be between 0 and 1000000, got -1",
        "negotiate_lifetime_ms: 10     | calls.negotiate_lifetime_ms: must be between 1000 and 600000, got 10",
        "allowed_servers: []           | calls.allowed_servers: must list at least one server or *",
        "allowed_servers: ['bad name'] | calls.allowed_servers: must be * or Matrix server names",
        "require_e2ee_in_encrypted_rooms: maybe | calls.require_e2ee_in_encrypted_rooms: must be true or false",
        "host_powerlevel: 5            | calls.host_powerlevel: unknown key",
        "max_invites_per_user_per_minute: 0 | calls.max_invites_per_user_per_minute: must be between 1 and 100000",
        "max_invites_per_room_per_minute: 100001 | calls.max_invites_per_room_per_minute: must be between 1 and 100000",
        "max_calls_per_user: -3        | calls.max_calls_per_user: must be between 1 and 10000, got -3",
        "limit_notice_interval_ms: 10  | calls.limit_notice_interval_ms: must be between 1000 and 3600000, got 10",
    })
    void badValuesAreNamedByTheirKey(String line, String message) {
        assertThatThrownBy(() -> ServerConfig.fromYaml("calls:\n  " + line + "\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theCapsComeFromTheFileAndTheEnvironment() {
        CallConfig c = ServerConfig.fromYaml("calls:\n  max_invites_per_user_per_minute: 5\n  max_calls_per_user: 3\n",
                Map.of("CONCLAVE_CALLS_MAX_INVITES_PER_ROOM_PER_MINUTE", "40",
                        "CONCLAVE_CALLS_LIMIT_NOTICE_INTERVAL_MS", "5000")).calls();
        assertThat(c.limits()).isEqualTo(new CallLimits(5, 40, 3, 5000));
        assertThat(CallConfig.defaults().limits()).isEqualTo(CallLimits.DEFAULTS);
    }

    @Test
    void theShippedFileHoldsTheDefaults() {
        ServerConfig shipped = ServerConfig.load(java.nio.file.Path.of("../config/conclave.yaml"), Map.of());
        assertThat(shipped.calls()).isEqualTo(CallConfig.defaults());
        assertThat(List.of(shipped.calls().allowedServers())).isNotEmpty();
    }

    /** The scan that replaced the regex accepts exactly what the regex did (random names from the telling characters). */
    @Test
    void serverNamesAsTheRegexHadThem() {
        Pattern regex = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
        List<String> fixed = List.of("example.org", "matrix.example.org:8448", "[::1]", "[::1]:8448", "[1.2.3.4]:1",
                "a:123456", "a:", ":80", "[]", "[::1", "[::1]:", "[g]", "a b", "a_b", "[::1]]", "[1]:2]", "a:b:80", "");
        Random random = new Random(11);
        String alphabet = "aZ09.-:[]fG_ ";
        List<String> names = new java.util.ArrayList<>(fixed);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(10); i > 0; i--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            names.add(sb.toString());
        }
        for (String name : names) {
            if (CallConfig.isServerName(name) != regex.matcher(name).matches()) {
                assertThat(CallConfig.isServerName(name)).as("'%s'", name).isEqualTo(regex.matcher(name).matches());
            }
        }
        assertThat(CallConfig.isServerName("[::1]:8448")).isTrue();
        assertThat(CallConfig.isServerName("bad name")).isFalse();
    }
}
