package org.conclave.tests.e2ee;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.conclave.keyexchange.frame.FrameCodec;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.tests.harness.OutboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.RoomTimeline;
import org.conclave.tests.harness.SignalServer;
import org.conclave.tests.harness.Stats;

/**
 * A real SFU on loopback with its signalling and room relay, and a tap on everything it decrypts hop by hop; starts
 * headless Chromium pages in E2EE modes (tests/js/web/e2ee.js).
 */
final class E2eeFixture implements AutoCloseable {
    final Sfu sfu;
    final SignalServer signal;
    final PayloadTap tap = new PayloadTap();

    private E2eeFixture(Sfu sfu, SignalServer signal) {
        this.sfu = sfu;
        this.signal = signal;
    }

    static E2eeFixture start() throws IOException {
        Sfu sfu = Sfu.start(SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0));
        try {
            E2eeFixture f = new E2eeFixture(sfu, new SignalServer(sfu.control()));
            sfu.setPacketTap(f.tap);
            return f;
        } catch (IOException | RuntimeException e) {
            sfu.close();
            throw e;
        }
    }

    /**
     * One Chromium with {@code pages} pages NAME-1..NAME-K sending audio and video; {@code query} goes to every page
     * (e.g. {@code e2ee=encrypt&requireE2ee=1}), {@code pageQueries} ("I:query") to single pages.
     */
    PeerProcess chromium(String conference, String name, int pages, long durationMs, String query,
            String... pageQueries) throws IOException {
        PeerCommand command = PeerCommand.chromium(pages).signal(signal).conference(conference).participant(name)
                .durationMs(durationMs).video().audio().arg("--query", query)
                // Two long-polls per page (SFU events, room): one connection pool per page, as separate users have.
                .arg("--context-per-page");
        for (String q : pageQueries) command.arg("--page-query", q);
        return command.start();
    }

    RoomTimeline room(String conference) {
        return signal.rooms().room(conference);
    }

    /** The frames of {@code kind} that {@code peer} sent, rebuilt from what the SFU tapped. */
    List<TappedFrame> framesSentBy(PeerStats peer, String kind) {
        List<TappedFrame> frames = new ArrayList<>();
        for (OutboundRtp out : Stats.outbound(peer, kind)) {
            List<TappedPacket> packets = tap.packets(peer.endpointId(), out.ssrc());
            frames.addAll(codec(kind) == FrameCodec.VP8 ? FrameAssembler.vp8(packets) : FrameAssembler.opus(packets));
        }
        return frames;
    }

    /** The RTP packets of {@code kind} that {@code peer} sent (media SSRCs only), as the SFU tapped them. */
    List<TappedPacket> packetsSentBy(PeerStats peer, String kind) {
        List<TappedPacket> packets = new ArrayList<>();
        for (OutboundRtp out : Stats.outbound(peer, kind)) packets.addAll(tap.packets(peer.endpointId(), out.ssrc()));
        return packets;
    }

    /** What the pages send: VP8 video and Opus audio (the tests check the pages' reports say so). */
    static FrameCodec codec(String kind) {
        return kind.equals("video") ? FrameCodec.VP8 : FrameCodec.OPUS;
    }

    @Override
    public void close() {
        sfu.setPacketTap(null);
        signal.close();
        sfu.close();
    }
}
