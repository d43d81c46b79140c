package org.conclave.appservice.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    @Test
    void restSchemeAsCoturnChecksIt() {
        // Expected password from Python: base64(hmac.new(secret, username, sha1).digest()).
        TurnCredentials c = TurnCredentials.mint("north-wind-secret-1234", "@alice:example.org", 1_700_000_000L, 3600,
                List.of("turn:turn.example.org:3478?transport=udp"));

        assertThat(c.username()).isEqualTo("1700003600:@alice:example.org");
        assertThat(c.password()).isEqualTo("JVQZtwEJFG/bpQtGvuEkA1Cqz2Q=");
        assertThat(c.ttlSeconds()).isEqualTo(3600);
        assertThat(c.uris()).containsExactly("turn:turn.example.org:3478?transport=udp");
        assertThat(c.toString()).doesNotContain(c.password());
    }
}
