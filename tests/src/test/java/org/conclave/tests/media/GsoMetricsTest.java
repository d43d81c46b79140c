package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conclave.appservice.ops.metrics.SfuMetrics;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.config.UdpSend;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.ops.PromText;
import org.junit.jupiter.api.Test;

/**
 * {@code sfu.udp_send: gso}'s counters in Prometheus' text, as /metrics serves them: exported from zero, and moving
 * with real video through the SFU (a simulcast sender's frames of several equal-length packets, two viewers).
 */
class GsoMetricsTest {
    private static final String JOINED = "conclave_sfu_udp_send_joined_datagrams_total";

    @Test
    void gsoCountersMoveWithVideo() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        // Not SfuFixture: CONCLAVE_SFU_UDP_SEND in the environment must not turn this test's gso off.
        SfuConfig config = SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0).withUdpSend(UdpSend.GSO);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Sfu sfu = Sfu.start(config)) {
            closing.add(new SfuMetrics(sfu, registry, vertx));
            PromText before = PromText.parse(registry.scrape());
            for (String name : List.of("conclave_sfu_udp_send_batches_total", "conclave_sfu_udp_send_runs_total",
                    "conclave_sfu_udp_send_joined_runs_total", JOINED + "{run_length=\"2\"}",
                    JOINED + "{run_length=\"3_4\"}", JOINED + "{run_length=\"5_8\"}", JOINED + "{run_length=\"9_up\"}",
                    "conclave_sfu_udp_gso_fallbacks_total", "conclave_sfu_udp_gso_segment_changes_total")) {
                assertThat(before.value(name)).as("%s before any media", name).isZero();
            }

            JavaRig.startSimulcastSender(sfu.control(), "gso", 400_000, 1_200_000, false, closing);
            for (int i = 0; i < 2; i++) {
                JavaPeer p = new JavaPeer();
                p.keepPackets = false;
                closing.add(p);
                JavaRig.join(sfu.control(), "gso", "viewer-" + i, p, null);
            }
            PromText[] now = {before};
            boolean joined = JavaRig.await(() -> {
                now[0] = PromText.parse(registry.scrape());
                return now[0].value("conclave_sfu_udp_send_joined_runs_total") >= 10;
            }, Duration.ofSeconds(20));
            PromText after = now[0];
            assertThat(joined).as("GSO sends of video runs: %s", after.text().lines()
                    .filter(l -> l.startsWith("conclave_sfu_udp")).toList()).isTrue();
            double runs = after.value("conclave_sfu_udp_send_runs_total");
            double joinedRuns = after.value("conclave_sfu_udp_send_joined_runs_total");
            assertThat(after.value("conclave_sfu_udp_send_batches_total")).isPositive();
            assertThat(runs).as("every GSO send is a run").isGreaterThanOrEqualTo(joinedRuns);
            assertThat(after.sum(JOINED)).as("datagrams in joined runs").isGreaterThanOrEqualTo(2 * joinedRuns)
                    .isLessThanOrEqualTo(after.value("conclave_sfu_datagrams_sent_total"));
            assertThat(after.value("conclave_sfu_udp_gso_segment_changes_total"))
                    .as("the first joined run sets the socket's segment size").isPositive();
            assertThat(after.value("conclave_sfu_udp_gso_fallbacks_total")).as("loopback refuses no GSO send")
                    .isZero();
        } finally {
            for (AutoCloseable c : closing) c.close();
            registry.close();
            vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
