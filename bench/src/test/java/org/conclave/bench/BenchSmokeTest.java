package org.conclave.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.conclave.bench.load.Generator;
import org.conclave.bench.load.MediaProfile;
import org.conclave.bench.run.Runner;
import org.conclave.bench.run.ScenarioResult;
import org.conclave.bench.run.StepResult;
import org.conclave.bench.scenario.Scenario;
import org.conclave.bench.scenario.Scenarios;
import org.conclave.bench.target.Launch;
import org.conclave.bench.target.OursTarget;
import org.conclave.sfu.dtls.DtlsSettings;
import org.conclave.sfu.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seconds-long run of the load generator against our SFU in this JVM: one room of four (audio, thumbnail and
 * full-res each, everyone viewing the others' full-res), one measured window. Proves packets flow through real
 * ICE/DTLS/SRTP and that loss and latency are measured; the numbers themselves are the benchmark's business.
 */
class BenchSmokeTest {
    private static final Runner.Settings SHORT = new Runner.Settings(700, 1_500, 300);

    @Test
    @Timeout(60)
    void generatorMeasuresLossAndLatencyThroughOurSfu(@TempDir Path work) throws Exception {
        Scenario scenario = Scenarios.smallRooms(new int[] {1});
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Launch launch = new Launch(loopback, null, "java", "", List.of(), work, null, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ScenarioResult result;
        try (Generator generator = new Generator(loopback, MediaProfile.DEFAULT,
                DtlsSettings.DEFAULT.withSrtpProfiles(SrtpProfile.AEAD_AES_128_GCM), scenario.tracks().size(), 1, 1);
             OursTarget target = new OursTarget(launch, true, true, 1)) {
            target.tracks(scenario.tracks());
            result = new Runner(SHORT, new PrintStream(log, true, StandardCharsets.UTF_8)).run(scenario, target, generator);
        }
        String output = log.toString(StandardCharsets.UTF_8);
        assertThat(result.error()).as(output).isNull();
        assertThat(result.srtpProfile()).isEqualTo("AEAD_AES_128_GCM");
        assertThat(result.steps()).hasSize(1);
        StepResult step = result.steps().get(0);
        // 4 participants x 3 others x (audio 50 + full-res 180 packets/s)
        assertThat(step.offeredPps()).isEqualTo(4 * 3 * (50 + 180.0));
        assertThat(step.sentPackets()).as(output).isPositive();
        assertThat(step.expectedPackets()).isGreaterThan(step.sentPackets());
        assertThat(step.receivedPackets()).as(output).isPositive();
        assertThat(step.loss()).as(output).isBetween(0.0, 0.2);
        assertThat(step.p50Micros()).isPositive();
        assertThat(step.p99Micros()).isGreaterThanOrEqualTo(step.p50Micros());
        assertThat(step.maxMicros()).isGreaterThanOrEqualTo(step.p99Micros());
        assertThat(step.srtpFailures()).isZero();
        assertThat(step.targetCpuSeconds()).isPositive();
        assertThat(step.rssKb()).isPositive();
    }
}
