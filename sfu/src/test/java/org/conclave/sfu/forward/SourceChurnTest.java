package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.codec.CodecId;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.keyframe.KeyFrameOptions;
import org.conclave.sfu.rtp.ExtensionUri;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.srtp.SrtpSession;
import org.junit.jupiter.api.Test;

/**
 * A long call: people come and go, publishers turn tracks on and off. Every forwarded source has its own SSRC towards
 * each receiver, so each one costs the receiver's SRTP session a crypto context; the contexts of sources gone for good
 * are forgotten, so the hundredth visitor is heard as well as the first.
 */
class SourceChurnTest {
    private static final int VISITORS = SrtpSession.MAX_OUTBOUND_STREAMS / 2 + 20; // audio + video each: past the cap

    private static final int MID_ID = 1;
    private static final int RID_ID = 2;
    /** A VP8 payload descriptor (start of partition 0) and a key frame's first bytes. */
    private static final byte[] VP8_KEY_FRAME = {(byte) 0x10, 0, (byte) 0x9d, 1, (byte) 0x2a};

    private final PathRig rig = new PathRig();
    private final PathRig.Client stayer = rig.client("stayer");

    @Test
    void aStayerDecodesEveryVisitorOfALongCall() {
        stayer.check();
        for (int i = 0; i < VISITORS; i++) {
            String id = "visitor" + i;
            PathRig.Client visitor = rig.client(id);
            visitor.check();
            Source audio = PathRig.audio(id, "0", 0xA0000000L + i, 0x1111);
            Source video = PathRig.video(id, "1", 0xB0000000L + i, 0x2222);
            visitor.publish(audio, video);
            stayer.subscribe(audio, false);
            stayer.subscribe(video, false);
            int before = stayer.rtp().size();
            visitor.sendRtp(0x1111, 111, 1, 960, (byte) i);
            visitor.sendRtp(0x2222, 96, 1, 3000, (byte) 0x10, (byte) 0, (byte) 0x9d, (byte) 1, (byte) 0x2a);
            List<byte[]> got = stayer.rtp().subList(before, stayer.rtp().size());
            assertThat(got).as("visitor %d reaches the stayer (SRTP errors %d)", i, stayer.media.srtpErrors)
                    .extracting(p -> RtpPacket.ssrc(p, 0))
                    .containsExactly((int) audio.outSsrc(), (int) video.outSsrc());
            rig.tick(1_100); // sender reports: outbound SRTCP contexts too
            stayer.check(); // its consent goes on
            visitor.leave();
            forgetAtTheClient(stayer, audio, video);
        }
        assertThat(stayer.media.srtpErrors).isZero();
        assertThat(stayer.media.srtp.outboundRtpStreams()).as("only live sources keep a context").isZero();
    }

    @Test
    void aPublisherTurningItsScreenShareOnAndOffAgainIsStillForwarded() {
        PathRig.Client presenter = rig.client("presenter");
        presenter.check();
        stayer.check();
        Source audio = PathRig.audio("presenter", "0", 0xA0000001L, 0x1111);
        for (int i = 0; i < SrtpSession.MAX_INBOUND_STREAMS + 20; i++) {
            Source share = PathRig.video("presenter", "s" + i, 0xB0000000L + i, 0x5000 + i);
            presenter.publish(audio, share);
            stayer.subscribe(share, false);
            int before = stayer.rtp().size();
            presenter.sendRtp(0x5000 + i, 96, 1, 3000, (byte) 0x10, (byte) 0, (byte) 0x9d, (byte) 1, (byte) 0x2a);
            assertThat(stayer.rtp().size() - before).as("share %d is forwarded (SRTP errors in %d, out %d)", i,
                    presenter.media.srtpErrors, stayer.media.srtpErrors).isEqualTo(1);
            presenter.publish(audio); // the share stops: a new m-line (new SSRC) next time
            forgetAtTheClient(stayer, share);
        }
        assertThat(presenter.media.srtp.inboundRtpStreams()).as("the stopped shares' SSRCs are forgotten").isZero();
        assertThat(stayer.media.srtp.outboundRtpStreams()).isZero();
    }

    @Test
    void aPublisherRestartingItsTrackOnTheSameMLineAgainAndAgainIsStillForwarded() {
        PathRig.Client alice = rig.client("alice");
        int restarts = SrtpSession.MAX_INBOUND_STREAMS + 20;
        long[] ssrcs = new long[restarts];
        for (int i = 0; i < restarts; i++) ssrcs[i] = 0x7000 + i;
        Source audio = new Source("alice", "@alice", "0", org.conclave.sfu.codec.MediaKind.AUDIO, 48_000, 0xA0000001L,
                "s", "a", "c", java.util.Map.of(111, org.conclave.sfu.codec.CodecId.opus()), java.util.Map.of(), ssrcs);
        alice.check();
        stayer.check();
        alice.publish(audio);
        stayer.subscribe(audio, false);
        for (int i = 0; i < restarts; i++) {
            int before = stayer.rtp().size();
            alice.sendRtp(0x7000 + i, 111, 1, 960, (byte) i);
            assertThat(stayer.rtp().size() - before).as("restart %d is forwarded (SRTP errors %d, unknown SSRC %d)", i,
                    alice.media.srtpErrors, alice.media.unknownSsrcDrops).isEqualTo(1);
            rig.tick(1_100); // silent long enough for the next SSRC to take over
            alice.check();
            stayer.check();
        }
        assertThat(alice.media.srtp.inboundRtpStreams()).as("only the live SSRC keeps a context").isEqualTo(1);
        assertThat(alice.media.incoming).hasSize(1);
    }

    @Test
    void aPublisherRestartingItsSimulcastTrackAgainAndAgainIsStillForwarded() {
        PathRig.Client alice = rig.client("alice");
        int restarts = SrtpSession.MAX_INBOUND_STREAMS + 20;
        Source video = new Source("alice", "@alice", "1", MediaKind.VIDEO, 90_000, 0xB0000001L, "s", "v", "c",
                Map.of(96, CodecId.vp8()), Map.of(MID_ID, ExtensionUri.MID.uri(), RID_ID,
                ExtensionUri.RTP_STREAM_ID.uri()), new long[0], List.of("q", "f"), new long[0], Map.of(), Map.of(),
                false, false, 0);
        alice.check();
        stayer.check();
        alice.publish(MID_ID, video);
        stayer.subscribe(video, false);
        for (int i = 0; i < restarts; i++) {
            int before = stayer.rtp().size();
            // New SSRCs for both layers, bound by MID and rid (no a=ssrc lines), each starting with a key frame.
            for (int layer = 0; layer < 2; layer++) {
                byte[] elements = {(byte) (MID_ID << 4), '1', (byte) (RID_ID << 4), (byte) (layer == 0 ? 'q' : 'f')};
                alice.sendRtp(0x7000 + 2 * i + layer, 96, 1, 3000, elements, VP8_KEY_FRAME);
            }
            assertThat(stayer.rtp().size() - before).as("restart %d is forwarded (SRTP errors %d, unknown SSRC %d)", i,
                    alice.media.srtpErrors, alice.media.unknownSsrcDrops).isEqualTo(1);
            rig.tick(1_100); // silent long enough for the next SSRCs to take over their layers
            alice.check();
            stayer.check();
        }
        assertThat(alice.media.srtp.inboundRtpStreams()).as("only the live SSRCs keep a context").isEqualTo(2);
        assertThat(alice.media.incoming).hasSize(2);
        assertThat(rig.stats.inactiveStreamDrops()).isZero();
    }

    @Test
    void aSecondLiveSsrcOnASimulcastLayerDoesNotReplaceTheFirst() {
        PathRig.Client alice = rig.client("alice");
        Source video = new Source("alice", "@alice", "1", MediaKind.VIDEO, 90_000, 0xB0000001L, "s", "v", "c",
                Map.of(96, CodecId.vp8()), Map.of(MID_ID, ExtensionUri.MID.uri(), RID_ID,
                ExtensionUri.RTP_STREAM_ID.uri()), new long[0], List.of("q", "f"), new long[0], Map.of(), Map.of(),
                false, false, 0);
        alice.check();
        stayer.check();
        alice.publish(MID_ID, video);
        stayer.subscribe(video, false);
        byte[] low = {(byte) (MID_ID << 4), '1', (byte) (RID_ID << 4), 'q'};
        alice.sendRtp(0x7000, 96, 1, 3000, low, VP8_KEY_FRAME);
        alice.sendRtp(0x7001, 96, 1, 3000, low, VP8_KEY_FRAME);
        alice.sendRtp(0x7000, 96, 2, 3000, low, VP8_KEY_FRAME);
        assertThat(stayer.rtp()).extracting(p -> RtpPacket.sequence(p, 0) - RtpPacket.sequence(stayer.rtp().get(0), 0))
                .as("the live SSRC goes on").containsExactly(0, 1);
        assertThat(rig.stats.inactiveStreamDrops()).isEqualTo(1);
        assertThat(alice.media.incoming(0x7000)).as("not forgotten for a stray SSRC").isNotNull();
    }

    @Test
    void aMirrorOnAnotherThreadFollowsItsSourceRestartingAgainAndAgain() {
        Source audio = PathRig.audio("alice", "0", 0xA0000001L, 0x1111);
        SourceRoute mirror = new SourceRoute(audio, new PipeLink(null, 1), KeyFrameOptions.DEFAULTS,
                ClampOptions.DEFAULTS);
        stayer.check();
        rig.path.subscriptions.subscribe(stayer.media, mirror, PathRig.downlink(false), VideoQuality.THUMBNAIL,
                rig.clock.nanoTime());
        for (int i = 0; i < RtpIngress.MAX_INCOMING_STREAMS + 20; i++) {
            byte[] b = new byte[64];
            b[0] = (byte) 0x80;
            RtpPacket.setPayloadType(b, 0, 111);
            RtpPacket.setSequence(b, 0, 1);
            RtpPacket.setSsrc(b, 0, 0x7000 + i); // as the home thread admitted it: a new SSRC after each restart
            int before = stayer.rtp().size();
            mirror.acceptPiped(b, 13, 0, EndpointMedia.NO_TRANSPORT_CC, rig.clock.nanoTime(), rig.io, rig.stats);
            assertThat(stayer.rtp().size() - before).as("restart %d reaches the viewer", i).isEqualTo(1);
            rig.tick(1_100);
            stayer.check();
        }
        assertThat(mirror.mirrorInputs).as("the replaced inputs are dropped").hasSize(1);
    }

    /** The track ended at the receiver (its m-line went away): the client's own SRTP session forgets it too. */
    private static void forgetAtTheClient(PathRig.Client receiver, Source... gone) {
        for (Source s : gone) receiver.srtp.forgetInbound((int) s.outSsrc());
    }

    @Test
    void aSourceUnsubscribedAndSubscribedAgainKeepsItsContext() {
        PathRig.Client alice = rig.client("alice");
        alice.check();
        stayer.check();
        Source audio = PathRig.audio("alice", "0", 0xA0000001L, 0x1111);
        alice.publish(audio);
        stayer.subscribe(audio, false);
        alice.sendRtp(0x1111, 111, 1, 960, (byte) 1);
        stayer.unsubscribe(audio);
        assertThat(stayer.media.srtp.outboundRtpStreams())
                .as("a re-created context would restart its rollover counter the receiver keeps").isEqualTo(1);
        stayer.subscribe(audio, false);
        alice.sendRtp(0x1111, 111, 2, 1920, (byte) 2);
        assertThat(stayer.rtp()).hasSize(2);
        assertThat(stayer.media.srtpErrors).isZero();

        stayer.unsubscribe(audio);
        alice.leave();
        assertThat(stayer.media.srtp.outboundRtpStreams()).as("forgotten once the source is gone, unsubscribed or not")
                .isZero();
    }
}
