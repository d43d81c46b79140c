package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.conclave.sfu.e2ee.E2eeGuard;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, "what it must show" 1 and 2: real encoder output (libvpx, libx264, libopus through aiortc and PyAV,
 * packetized by aiortc's packetizers) and uniformly random frames, fed to the SFU's E2EE check exactly as the packet
 * thread does: as plaintext, no frame is forwarded; encrypted with keyexchange's FrameEncryptor (every suite, key
 * rotation, simulcast pauses, a sender restart, a renegotiation, loss, RTX repairs, duplicates, reordering), no frame
 * is refused after probation. The suite runs a short version; {@code scripts/e2ee-campaign.sh} the full one (over a
 * million plaintext frames) with {@code -Dconclave.replay.scale} and {@code -Dconclave.replay.randomFrames}.
 */
class GuardReplayTest {
    private static final Logger log = LoggerFactory.getLogger(GuardReplayTest.class);
    private static final int CORPUS_SEED = 12;

    @Test
    void plaintextNeverPassesAndEncryptedMediaAlwaysDoes() throws Exception {
        double scale = Double.parseDouble(System.getProperty("conclave.replay.scale", "0.1"));
        long randomFrames = Long.getLong("conclave.replay.randomFrames", 20_000);
        GuardReplay replay = new GuardReplay(42);
        long started = System.nanoTime();
        MediaCorpus.generate(scale, CORPUS_SEED, group -> {
            replay.plaintext(group);
            replay.encrypted(group, group.get(0).group());
        });
        replay.random(randomFrames);
        String report = report(replay, scale, randomFrames, (System.nanoTime() - started) / 1_000_000_000.0);
        log.info("\n{}", report);
        Path out = Path.of("target", "e2ee-replay-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        GuardReplay.Tally all = replay.total();
        assertThat(all.frames).as("plaintext frames replayed").isGreaterThanOrEqualTo((long) (18_000 * scale * 0.9)
                + randomFrames);
        assertThat(all.packetizerMismatches).as("frames our packetizer splits unlike aiortc's").isZero();
        assertThat(all.forwardedFrames).as("plaintext frames forwarded (one guard per sender)").isZero();
        assertThat(all.windowedForwardedFrames).as("plaintext frames forwarded (a fresh guard every %d frames)",
                GuardReplay.WINDOW_FRAMES).isZero();
        assertThat(all.longestRun).as("longest run of consistent plaintext frame starts")
                .isLessThan(E2eeGuard.LEARNING_FRAMES);
        assertThat(all.held).as("plaintext senders held").isEqualTo(all.senders);

        GuardReplay.Encrypted e = replay.encrypted;
        assertThat(e.refusedAfterProbation).as("encrypted frames refused after probation").isZero();
        assertThat(e.held).as("encrypting senders held").isZero();
        assertThat(e.framesBySuite).as("every suite").hasSize(5);
        assertThat(e.rotations).isPositive();
        assertThat(e.repaired).isPositive();
    }

    static String report(GuardReplay r, double scale, long randomFrames, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("E2EE guard replay: corpus scale %s (seed %d), %d random frames, %.0f s%n", scale,
                CORPUS_SEED, randomFrames, seconds));
        b.append(String.format("%-22s %10s %10s %12s %12s %14s%n", "plaintext", "frames", "packets", "fwd frames",
                "fwd packets", "fwd (windowed)"));
        for (Map.Entry<String, GuardReplay.Tally> e : r.plaintext.entrySet()) {
            GuardReplay.Tally t = e.getValue();
            b.append(String.format("%-22s %10d %10d %12d %12d %14d%n", e.getKey(), t.frames, t.packets,
                    t.forwardedFrames, t.forwardedPackets, t.windowedForwardedFrames));
        }
        GuardReplay.Tally all = r.total();
        b.append(String.format("%-22s %10d %10d %12d %12d %14d%n", "total", all.frames, all.packets,
                all.forwardedFrames, all.forwardedPackets, all.windowedForwardedFrames));
        b.append(String.format("senders %d, held %d; windowed: %d frame starts checked, %d agreed with the run "
                        + "before them (%.2e per frame), longest run %d (probation needs %d); packetizer mismatches %d%n",
                all.senders, all.held, all.checkedStarts, all.passes,
                all.checkedStarts == 0 ? 0.0 : (double) all.passes / all.checkedStarts, all.longestRun,
                E2eeGuard.LEARNING_FRAMES, all.packetizerMismatches));
        r.mismatches.forEach(m -> b.append("packetizer mismatch: ").append(m).append('\n'));
        GuardReplay.Encrypted e = r.encrypted;
        b.append(String.format("encrypted: %d senders, %d frames %s, %d packets delivered; %d lost (%d repaired by "
                        + "RTX), %d duplicated, %d key rotations; forwarded %d frames, %d in probation, refused after "
                        + "probation %d frames (%d packets), held %d%n", e.senders, e.frames, e.framesBySuite,
                e.packetsDelivered, e.lost, e.repaired, e.duplicated, e.rotations, e.forwardedFrames,
                e.probationFrames, e.refusedAfterProbation, e.refusedPacketsAfterProbation, e.held));
        return b.toString();
    }
}
