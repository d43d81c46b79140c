package org.conclave.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PeerProcess} against small shell scripts standing in for peers. */
class PeerProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String REPORT =
            "{\"peers\":[{\"participant\":\"a-1\",\"connectionState\":\"connected\",\"events\":[\"offer\"],"
                    + "\"inbound\":[{\"kind\":\"video\",\"ssrc\":7,\"framesDecoded\":42,\"frameWidth\":640,\"novel\":1}],"
                    + "\"outbound\":[{\"kind\":\"audio\",\"packetsSent\":9}]}]}";

    @TempDir
    Path dir;

    @Test
    void parsesTheLastStdoutLineAsTheReport() throws Exception {
        try (PeerProcess p = sh("echo 'warming up' >&2; echo 'not json'; echo '" + REPORT + "'; echo")) {
            PeerReport report = p.awaitSuccess(TIMEOUT);

            PeerStats a = Stats.peer(report, "a-1");
            assertThat(a.connectionState()).isEqualTo("connected");
            assertThat(a.events()).containsExactly("offer");
            assertThat(Stats.decodingVideo(a, 40)).extracting(InboundRtp::ssrc).containsExactly(7L);
            assertThat(Stats.totalPacketsSent(a, "audio")).isEqualTo(9);
            assertThat(p.stdout()).contains("not json");
            assertThat(p.stderrTail()).isEqualTo("warming up");
        }
    }

    @Test
    void nonZeroExitStillYieldsTheReportButNotSuccess() throws Exception {
        try (PeerProcess p = sh("echo 'it broke' >&2; echo '{\"peers\":[],\"error\":\"no answer\"}'; exit 3")) {
            PeerReport report = p.awaitReport(TIMEOUT);
            assertThat(report.exitCode()).isEqualTo(3);
            assertThat(report.error()).isEqualTo("no answer");
        }
        try (PeerProcess p = sh("echo 'it broke' >&2; echo '{\"peers\":[]}'; exit 3")) {
            assertThatThrownBy(() -> p.awaitSuccess(TIMEOUT)).isInstanceOf(PeerException.class)
                    .hasMessageContaining("exited 3").hasMessageContaining("it broke");
        }
    }

    @Test
    void missingOrBrokenReportIsAPeerException() throws Exception {
        try (PeerProcess p = sh("echo 'crashed' >&2; exit 1")) {
            assertThatThrownBy(() -> p.awaitReport(TIMEOUT)).isInstanceOf(PeerException.class)
                    .hasMessageContaining("without a result line").hasMessageContaining("crashed");
        }
        try (PeerProcess p = sh("echo '[1,2]'")) {
            assertThatThrownBy(() -> p.awaitReport(TIMEOUT)).isInstanceOf(PeerException.class)
                    .hasMessageContaining("not a report");
        }
    }

    @Test
    void deadlineKillsThePeerAndItsChildren() throws Exception {
        try (PeerProcess p = sh("sleep 300 & echo child=$!; wait")) {
            long child = Long.parseLong(p.awaitStdoutLine(l -> l.startsWith("child="), TIMEOUT).orElseThrow().substring(6));
            ProcessHandle childHandle = ProcessHandle.of(child).orElseThrow();

            assertThatThrownBy(() -> p.awaitExit(Duration.ofMillis(200))).isInstanceOf(PeerException.class)
                    .hasMessageContaining("still running");

            childHandle.onExit().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(childHandle.isAlive()).isFalse();
            assertThat(p.isAlive()).isFalse();
        }
    }

    private PeerProcess sh(String script) throws Exception {
        return PeerProcess.start("sh", List.of("/bin/sh", "-c", script), dir);
    }
}
