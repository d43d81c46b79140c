package org.conclave.appservice.ops.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.sfu.config.ConfigSource;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {
    @Test
    void everyKeyWithItsValueAndSecretsMasked() {
        String adminToken = "a".repeat(40);
        ConfigSource source = ConfigSource.fromYaml("""
                sfu:
                  udp_port: 10001
                turn:
                  uris: ["turn:turn.example.org:3478?transport=tcp"]
                """, "<test>", Map.of("CONCLAVE_ADMIN_TOKEN", adminToken,
                "CONCLAVE_TURN_SHARED_SECRET", "s".repeat(20)));
        ServerConfig.read(source);

        JsonObject shown = EffectiveConfig.masked(source.resolved());

        assertThat(shown.getJsonObject("sfu").getInteger("udp_port")).isEqualTo(10001);
        assertThat(shown.getJsonObject("sfu").getInteger("max_endpoints")).isEqualTo(500); // defaults too
        assertThat(shown.getJsonObject("appservice").getString("server_name")).isEmpty();
        assertThat(shown.getJsonObject("admin").getString("token")).isEqualTo(EffectiveConfig.MASK);
        assertThat(shown.getJsonObject("admin").getString("metrics_token")).isEmpty(); // not set: nothing to hide
        assertThat(shown.getJsonObject("turn").getString("shared_secret")).isEqualTo(EffectiveConfig.MASK);
        assertThat(shown.getJsonObject("turn").getJsonArray("uris").getString(0))
                .isEqualTo("turn:turn.example.org:3478?transport=tcp");
        assertThat(shown.encode()).doesNotContain(adminToken).doesNotContain("s".repeat(20));
        assertThat(shown.fieldNames()).containsExactly("sfu", "appservice", "calls", "admin", "logging", "public",
                "turn", "cluster");
    }
}
