package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.IceRestartReport;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.harness.UdpShaper;
import org.junit.jupiter.api.Test;

/**
 * Issue #11: a browser whose network path dies mid-call restarts ICE as matrix-js-sdk does (pc.restartIce() 2 s after
 * ICE went "disconnected", new ufrag and password in a new offer). The SFU answers with new credentials of its own
 * (RFC 8839), its packet thread learns the new ufrag and forgets the old path, DTLS and SRTP go on, and media resumes
 * both ways within {@value #MAX_RESUME_MS} ms of the restart.
 */
class IceRestartTest {
    static final long MAX_RESUME_MS = 2_000;
    private static final long POLL_MS = 20;

    /** One of the viewer's live reports as it arrived: what it had received from the mover so far. */
    private record Seen(long atEpochMs, long packets, long frames) {}

    @Test
    void mediaResumesWithinTwoSecondsOfAnIceRestartOverANewPath() throws Exception {
        try (SfuFixture f = SfuFixture.start(); UdpShaper oldPath = JavaRig.shaper(f, 0, 11)) {
            f.signal.routeThrough("mover-1", oldPath.address());
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                    .signal(f.signal).conference("ice-restart").participant("mover")
                    .durationMs(35_000).video().audio()
                    .arg("--query", "statsIntervalMs=100", "--page-query", "1:restartIceOnDisconnect=1")
                    .command(), TestPaths.jsDir())) {
                AllocatedEndpoint mover = f.signal.awaitEndpoint("mover-1", Duration.ofSeconds(30)).orElseThrow();
                AllocatedEndpoint viewer = f.signal.awaitEndpoint("mover-2", Duration.ofSeconds(30)).orElseThrow();
                assertThat(ChromiumLive.awaitVideo(f.signal, viewer.endpointId(), v -> v.framesDecoded() > 30,
                        Duration.ofSeconds(40))).as("the viewer decodes the mover before the path dies").isPresent();
                assertThat(ChromiumLive.awaitVideo(f.signal, mover.endpointId(), v -> v.framesDecoded() > 30,
                        Duration.ofSeconds(20))).as("the mover decodes the viewer before the path dies").isPresent();

                // The mover's path dies; the SFU's next answer to it names the SFU's own address: a new path.
                int sfuPort = f.sfu.boundAddress().getPort();
                f.signal.routeThrough("mover-1", new InetSocketAddress("127.0.0.1", sfuPort));
                oldPath.up().lossPercent(100);
                oldPath.down().lossPercent(100);
                long cutAt = System.currentTimeMillis();

                List<Seen> seen = new ArrayList<>();
                // The restart the cut causes (a busy machine can make a page's ICE flap, and restart, before it).
                IceRestartReport restart = followUntilResumed(f, mover, viewer, seen, cutAt);
                assertThat(restart).as("the mover restarted ICE and measured its media: %s",
                        f.signal.liveStats(mover.endpointId())).isNotNull();
                long upstreamResumedMs = resumedAfter(seen, restart.startedAtEpochMs());
                System.out.printf("IceRestartTest: SFU answered the restart after %d ms; ICE connected after %s ms; "
                        + "the mover received packets again after %s ms and decoded video after %s ms; the viewer "
                        + "received the mover again after %d ms (SFU ufrag %s -> %s; old path dropped %d packets)%n",
                        restart.answeredMs(), restart.connectedMs(), restart.packetsResumedMs(),
                        restart.framesResumedMs(), upstreamResumedMs, restart.oldSfuUfrag(), restart.newSfuUfrag(),
                        oldPath.up().lost() + oldPath.down().lost());

                assertThat(oldPath.up().lost()).as("the old path really died").isPositive();
                assertThat(restart.newSfuUfrag()).as("the SFU answered with new ICE credentials")
                        .isNotNull().isNotEqualTo(restart.oldSfuUfrag());
                long restarts = f.signal.liveStats(mover.endpointId()).orElseThrow().iceRestarts().stream()
                        .filter(r -> r.connectedMs() != null).count();
                assertThat(f.sfu.packetStats().iceRestarts()).as("the packet thread switched ufrag each time")
                        .isEqualTo(restarts);
                assertThat(restart.packetsResumedMs()).as("downstream packets resumed (ms)").isNotNull()
                        .isLessThanOrEqualTo(MAX_RESUME_MS);
                assertThat(restart.framesResumedMs()).as("downstream video decodes again (ms)").isNotNull()
                        .isLessThanOrEqualTo(MAX_RESUME_MS);
                assertThat(upstreamResumedMs).as("upstream: the viewer receives the mover again (ms): %s", seen)
                        .isLessThanOrEqualTo(MAX_RESUME_MS);

                for (PeerStats p : org.conclave.tests.harness.Stats.peers(chromium.awaitSuccess(Duration.ofSeconds(90)))) {
                    assertThat(p.connectionState()).as(p.participant()).isEqualTo("connected");
                    assertThat(p.failure()).as(p.participant()).isNull();
                }
                assertThat(f.sfu.packetStats().internalErrors()).isZero();
            }
        }
    }

    /**
     * Follows both pages' live reports until the mover's first restart after {@code cutAt} is measured; meanwhile
     * records what the viewer had received from the mover, as each report arrived. Null if it never restarted in time.
     */
    private static IceRestartReport followUntilResumed(SfuFixture f, AllocatedEndpoint mover,
            AllocatedEndpoint viewer, List<Seen> seen, long cutAt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            f.signal.liveStats(viewer.endpointId()).ifPresent(s -> {
                long packets = s.inbound().stream().mapToLong(InboundRtp::packetsReceived).sum();
                long frames = s.inbound().stream().mapToLong(InboundRtp::framesDecoded).sum();
                if (seen.isEmpty() || seen.get(seen.size() - 1).packets() != packets) {
                    seen.add(new Seen(System.currentTimeMillis(), packets, frames));
                }
            });
            Optional<IceRestartReport> r = f.signal.liveStats(mover.endpointId())
                    .flatMap(s -> s.iceRestarts().stream().filter(x -> x.startedAtEpochMs() >= cutAt).findFirst());
            if (r.isPresent() && (r.get().framesResumedMs() != null
                    || System.currentTimeMillis() - r.get().startedAtEpochMs() > 10_000)) {
                // keep watching the viewer until it too got the mover again (or long enough to say it did not)
                if (resumedAfter(seen, r.get().startedAtEpochMs()) != Long.MAX_VALUE
                        || System.currentTimeMillis() - r.get().startedAtEpochMs() > 10_000) {
                    return r.get();
                }
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
        return null;
    }

    /**
     * Milliseconds from {@code restartAt} to the first viewer report that counted more packets from the mover than any
     * report before the restart; Long.MAX_VALUE if none did.
     */
    private static long resumedAfter(List<Seen> seen, long restartAt) {
        long frozen = -1;
        for (Seen s : seen) {
            if (s.atEpochMs() <= restartAt) frozen = Math.max(frozen, s.packets());
            else if (frozen >= 0 && s.packets() > frozen) return s.atEpochMs() - restartAt;
        }
        return Long.MAX_VALUE;
    }
}
