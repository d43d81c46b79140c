package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A client that publishes a track on an m-line the SFU created to send on (Chromium's addTrack reuses a transceiver
 * that never sent, JSEP 5.1.x: a screen share started mid-call lands on another participant's video m-line).
 */
class SharedLineTest {
    private static final List<OutgoingSource> SOURCES = Fixtures.LATER_SOURCES;
    private static final Msid SHARE = new Msid("screen", "screen-video");
    private static final long SHARE_SSRC = 777001;
    private static final long SHARE_RTX_SSRC = 777002;

    /** The recorded renegotiation offer with d2 (the SFU sends remoteA's video there) changed. */
    private static SessionDescription offer(UnaryOperator<MediaDescription.Builder> change) {
        SessionDescription s = Fixtures.parse("chromium-simulcast-renegotiation-offer.sdp");
        SessionDescription.Builder b = s.toBuilder().clearMedia();
        for (MediaDescription m : s.media()) b.addMedia("d2".equals(m.mid()) ? change.apply(m.toBuilder()).build() : m);
        return b.build();
    }

    /** What Chromium writes for a sending track: the msid and the SSRCs of the track and its RTX. */
    private static MediaDescription.Builder publishing(MediaDescription.Builder b, Direction direction) {
        b.direction(direction).addMsid(SHARE)
                .addSsrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(SHARE_SSRC, SHARE_RTX_SSRC)));
        for (long ssrc : List.of(SHARE_SSRC, SHARE_RTX_SSRC)) {
            b.addSsrc(new SsrcAttribute(ssrc, "cname", "alice")).addSsrc(new SsrcAttribute(ssrc, "msid", "screen screen-video"));
        }
        return b;
    }

    private static List<OutgoingSource> sources(boolean d2Active) {
        OutgoingSource d2 = SOURCES.get(1);
        return List.of(SOURCES.get(0), new OutgoingSource(d2.mid(), d2.kind(), d2.ssrc(), d2.rtxSsrc(), d2.streamId(),
                d2.trackId(), d2.cname(), d2Active), SOURCES.get(2));
    }

    @ParameterizedTest(name = "client {0}, publishes {1}, SFU source active {2} -> {3}, taken {4}")
    @CsvSource({
        // the client's direction, a track (msid+SSRCs), SFU source live, answer, the client's track taken
        "SENDRECV, true,  true,  SENDRECV, true",
        "SENDONLY, true,  true,  RECVONLY, true",
        "SENDRECV, true,  false, RECVONLY, true",
        "SENDONLY, true,  false, RECVONLY, true",
        "SENDRECV, false, true,  SENDONLY, false",
        "RECVONLY, true,  true,  SENDONLY, false",
        "RECVONLY, false, true,  SENDONLY, false",
        "INACTIVE, true,  true,  INACTIVE, false",
        "INACTIVE, false, false, INACTIVE, false",
    })
    void answerDirectionAndUpstreamTrack(Direction offered, boolean track, boolean sourceActive, Direction answered,
            boolean taken) {
        SessionDescription offer = offer(b -> track ? publishing(b, offered) : b.direction(offered));
        Answer a = AnswerBuilder.build(offer, Fixtures.LOCAL, Fixtures.chromiumAfterReoffers(), sources(sourceActive));
        assertThat(SdpParser.parse(a.sdp())).isEqualTo(a.description());
        MediaDescription d2 = a.description().media("d2");
        assertThat(d2.direction()).isEqualTo(answered);
        // the SFU's own source stays described on its m-line, sending or not (as before)
        assertThat(d2.msids()).containsExactly(new Msid("remoteA", "videoA"));
        assertThat(d2.ssrcValues()).containsExactly(2222L, 2223L);
        assertThat(a.state().downstreamMids()).contains("d2");
        assertThat(a.negotiated().downstream()).extracting(NegotiatedMedia::mid).containsExactly("d1", "d2", "d3");
        assertThat(a.negotiated().media("d2").upstream()).as("media(mid) is the SFU's side").isFalse();
        NegotiatedMedia up = a.negotiated().upstream("d2");
        if (!taken) {
            assertThat(up).isNull();
            assertThat(a.negotiated().upstream()).extracting(NegotiatedMedia::mid).containsExactly("0", "1", "3");
            return;
        }
        assertThat(a.negotiated().upstream()).extracting(NegotiatedMedia::mid).containsExactly("0", "1", "d2", "3");
        assertThat(up.msid()).isEqualTo(SHARE);
        assertThat(up.ssrcs()).containsExactly(SHARE_SSRC, SHARE_RTX_SSRC);
        assertThat(up.ssrcGroups()).containsExactly(new SsrcGroup(SsrcGroup.FID, List.of(SHARE_SSRC, SHARE_RTX_SSRC)));
        assertThat(up.remoteDirection()).isEqualTo(offered);
        assertThat(up.codecs()).extracting(Codec::name).contains("VP8");
        NegotiatedMedia down = a.negotiated().media("d2");
        assertThat(down.ssrcs()).containsExactly(2222L, 2223L);
        assertThat(down.msid()).isEqualTo(new Msid("remoteA", "videoA"));
    }

    @Test
    void receivingKeepsTheClientsUpstreamExtensionsOnTheLine() {
        SessionDescription offer = offer(b -> publishing(b, Direction.SENDRECV)
                .addExtmap(new Extmap(4, RtpHeaderExtensions.MID)));
        Answer a = AnswerBuilder.build(offer, Fixtures.LOCAL, Fixtures.chromiumAfterReoffers(), SOURCES);
        assertThat(a.description().media("d2").extmaps()).extracting(Extmap::uri)
                .contains(RtpHeaderExtensions.MID, RtpHeaderExtensions.TOFFSET);
        // a line the client does not publish on keeps only what the forwarding writes
        assertThat(a.description().media("d3").extmaps()).extracting(Extmap::uri)
                .doesNotContain(RtpHeaderExtensions.MID);
    }

    @ParameterizedTest(name = "SFU source active {0} -> re-offered {1}")
    @CsvSource({"true, SENDRECV", "false, RECVONLY"})
    void reofferKeepsReceivingWhileTheClientPublishes(boolean sourceActive, Direction reoffered) {
        Answer a = AnswerBuilder.build(offer(b -> publishing(b, Direction.SENDRECV)), Fixtures.LOCAL,
                Fixtures.chromiumAfterReoffers(), SOURCES);
        assertThat(a.state().clientPublishes(indexOf(a.state(), "d2"))).isTrue();
        Offer o = OfferBuilder.build(a.state(), Fixtures.LOCAL, sources(sourceActive));
        assertThat(SdpParser.parse(o.sdp())).isEqualTo(o.description());
        MediaDescription d2 = o.description().media("d2");
        assertThat(d2.direction()).isEqualTo(reoffered);
        assertThat(d2.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(d2.codecs()).isEqualTo(a.description().media("d2").codecs());
        assertThat(d2.extmaps()).isEqualTo(a.description().media("d2").extmaps());
        if (sourceActive) {
            assertThat(d2.msids()).containsExactly(new Msid("remoteA", "videoA"));
            assertThat(d2.ssrcValues()).containsExactly(2222L, 2223L);
        } else {
            assertThat(d2.msids()).isEmpty();
            assertThat(d2.ssrcValues()).isEmpty();
        }

        // the client answers still publishing: taken again; answers recvonly: it stopped, the next offer only sends
        NegotiationState still = OfferBuilder.applyAnswer(o, answer(o, Direction.SENDRECV, true)).state();
        assertThat(still.negotiated().upstream("d2")).isNotNull();
        NegotiationState stopped = OfferBuilder.applyAnswer(o, answer(o, Direction.RECVONLY, false)).state();
        assertThat(stopped.negotiated().upstream("d2")).isNull();
        assertThat(stopped.clientPublishes(indexOf(stopped, "d2"))).isFalse();
        MediaDescription next = OfferBuilder.build(stopped, Fixtures.LOCAL, sources(true)).description().media("d2");
        assertThat(next.direction()).isEqualTo(Direction.SENDONLY);
    }

    private static int indexOf(NegotiationState s, String mid) {
        for (int i = 0; i < s.local().media().size(); i++) {
            if (mid.equals(s.local().media().get(i).mid())) return i;
        }
        throw new AssertionError(mid);
    }

    /** The client's answer to our offer: every m-line accepted as offered, d2 as told. */
    private static SessionDescription answer(Offer o, Direction d2, boolean publishing) {
        SessionDescription mirrored = Fixtures.mirroredAnswer(o);
        SessionDescription.Builder b = mirrored.toBuilder().clearMedia();
        for (MediaDescription m : mirrored.media()) {
            if (!"d2".equals(m.mid())) {
                b.addMedia(m);
                continue;
            }
            MediaDescription.Builder mb = m.toBuilder().direction(d2);
            if (publishing) publishing(mb, d2);
            b.addMedia(mb.build());
        }
        return b.build();
    }
}
