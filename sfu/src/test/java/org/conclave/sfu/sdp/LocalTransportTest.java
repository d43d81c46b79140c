package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalTransportTest {

    private static LocalTransport with(String... candidates) {
        return new LocalTransport("ufrg", "passwordpasswordpassword", Fixtures.FINGERPRINT, List.of(candidates), 1, 1);
    }

    @Test
    void defaultAddressComesFromTheFirstCandidate() {
        LocalTransport v4 = with("candidate:1 1 udp 2130706431 10.0.0.7 50000 typ host", "candidate:2 1 udp 1 ::1 3 typ host");
        assertThat(v4.defaultConnection()).isEqualTo(new Connection("IN", "IP4", "10.0.0.7"));
        assertThat(v4.defaultPort()).isEqualTo(50000);
        LocalTransport v6 = with("candidate:2 1 udp 2130706431 fd00::2 40000 typ host");
        assertThat(v6.defaultConnection()).isEqualTo(new Connection("IN", "IP6", "fd00::2"));
        assertThat(v6.defaultPort()).isEqualTo(40000);
    }

    @Test
    void withoutAUsableAddressTheRfc8840PlaceholdersAreUsed() {
        for (LocalTransport t : List.of(with(), with("candidate:3 1 udp 2130706431 0f3c.local 40000 typ host"))) {
            assertThat(t.defaultConnection()).isEqualTo(Connection.UNSPECIFIED_IP4);
            assertThat(t.defaultPort()).isEqualTo(9);
        }
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> with("1 1 udp 1 10.0.0.1 5 typ host")).hasMessageContaining("must start with 'candidate:'");
        assertThatThrownBy(() -> with("candidate:1 1 udp 1 10.0.0.1")).hasMessageContaining("fewer than 8 fields");
        assertThatThrownBy(() -> with("candidate:1 1 udp 1 10.0.0.1 99999 typ host")).hasMessageContaining("port");
        assertThatThrownBy(() -> new LocalTransport("ufrg", "pwd", "sha-256", List.of(), 1, 1))
                .hasMessageContaining("fingerprint");
    }
}
