package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OfferBuilderTest {
    private static final LocalTransport LOCAL = Fixtures.LOCAL;

    private static NegotiationState answered(String fixture) {
        return AnswerBuilder.build(Fixtures.parse(fixture), LOCAL).state();
    }

    private static Offer firstReoffer(String fixture) {
        Offer offer = OfferBuilder.build(answered(fixture), LOCAL, Fixtures.firstSources());
        assertThat(SdpParser.parse(offer.sdp())).isEqualTo(offer.description());
        return offer;
    }

    private static SessionDescription withMedia(SessionDescription s, String mid, UnaryOperator<MediaDescription.Builder> change) {
        SessionDescription.Builder b = s.toBuilder().clearMedia();
        for (MediaDescription m : s.media()) b.addMedia(mid.equals(m.mid()) ? change.apply(m.toBuilder()).build() : m);
        return b.build();
    }

    @Test
    void chromiumReofferAppendsDownstreamLinesWithTheClientsPayloadTypesAndIds() {
        Offer offer = firstReoffer("chromium-simulcast-offer.sdp");
        SessionDescription d = offer.description();
        String sdp = offer.sdp();
        assertThat(d.media()).extracting(MediaDescription::mid).containsExactly("0", "1", "2", "d1", "d2");
        assertThat(d.bundle()).containsExactly("0", "1", "d1", "d2");
        assertThat(d.origin()).isEqualTo(new Origin("-", "42", 2, "IN", "IP4", "0.0.0.0"));
        assertThat(d.iceLite()).isTrue();
        assertThat(offer.downstreamMids()).containsExactlyInAnyOrder("d1", "d2");

        // the client's upstream lines: receive-only from our side, actpass, simulcast still accepted
        assertThat(Fixtures.section(sdp, "0")).contains("a=recvonly", "a=setup:actpass", "a=" + Fixtures.CANDIDATE,
                "a=end-of-candidates", "a=rtcp-fb:111 transport-cc");
        assertThat(Fixtures.section(sdp, "1")).contains("a=recvonly", "a=setup:actpass", "a=rid:l recv",
                "a=simulcast:recv l;m;h").noneMatch(l -> l.startsWith("a=candidate"));
        assertThat(d.media("2").port()).isZero();

        List<String> audio = Fixtures.section(sdp, "d1");
        assertThat(audio).containsExactly("m=audio 40000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=ice-ufrag:sfuU",
                "a=ice-pwd:sfupasswordsfupassword12", "a=fingerprint:" + Fixtures.FINGERPRINT, "a=setup:actpass",
                "a=mid:d1", "a=extmap:1 " + RtpHeaderExtensions.SSRC_AUDIO_LEVEL,
                "a=extmap:2 " + RtpHeaderExtensions.ABS_SEND_TIME, "a=extmap:3 " + RtpHeaderExtensions.TRANSPORT_WIDE_CC,
                "a=sendonly", "a=msid:remoteA audioA", "a=rtcp-mux", "a=rtcp-rsize", "a=rtpmap:111 opus/48000/2",
                "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=ssrc:1111 cname:cnA", "a=ssrc:1111 msid:remoteA audioA");

        List<String> video = Fixtures.section(sdp, "d2");
        assertThat(video.get(0)).isEqualTo("m=video 40000 UDP/TLS/RTP/SAVPF 96 97 102 103 108 109 116 117");
        assertThat(video).contains("a=sendonly", "a=extmap:2 " + RtpHeaderExtensions.ABS_SEND_TIME,
                "a=extmap:14 " + RtpHeaderExtensions.TOFFSET, "a=extmap:13 " + RtpHeaderExtensions.VIDEO_ORIENTATION,
                "a=extmap:5 " + RtpHeaderExtensions.PLAYOUT_DELAY, "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
                "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 goog-remb", "a=rtcp-fb:96 ccm fir",
                "a=ssrc-group:FID 2222 2223", "a=ssrc:2223 msid:remoteA videoA");
        // transport-wide-cc goes down (the SFU stamps its own sequence) with its feedback; mid/rid never do
        assertThat(video).contains("a=extmap:3 " + RtpHeaderExtensions.TRANSPORT_WIDE_CC, "a=rtcp-fb:96 transport-cc");
        assertThat(video).noneMatch(l -> l.contains("sdes:") || l.contains("a=rid"));
    }

    @Test
    void chromiumAnswerToTheReofferIsAccepted() {
        Offer offer = firstReoffer("chromium-simulcast-offer.sdp");
        AppliedAnswer applied = OfferBuilder.applyAnswer(offer, Fixtures.text("chromium-simulcast-reoffer-answer.sdp"));
        assertThat(applied.rejectedDownstreamMids()).isEmpty();
        Negotiated n = applied.negotiated();
        assertThat(n.downstream()).extracting(NegotiatedMedia::mid).containsExactly("d1", "d2");
        assertThat(n.downstream()).extracting(NegotiatedMedia::remoteDirection).containsOnly(Direction.RECVONLY);
        assertThat(n.media("d2").ssrcs()).containsExactly(2222L, 2223L);
        assertThat(n.media("d2").codec(96).rtxPt()).isEqualTo(97);
        assertThat(n.upstream()).extracting(NegotiatedMedia::mid).containsExactly("0", "1");
        assertThat(n.media("1").rids()).containsExactly("l", "m", "h");
        assertThat(n.bundleMids()).containsExactly("0", "1", "d1", "d2");
        assertThat(applied.state().downstreamMids()).containsExactlyInAnyOrder("d1", "d2");
    }

    @Test
    void laterReofferKeepsPositionsDeactivatesAndAppends() {
        Offer first = firstReoffer("chromium-simulcast-offer.sdp");
        NegotiationState state = OfferBuilder.applyAnswer(first, Fixtures.text("chromium-simulcast-reoffer-answer.sdp"))
                .state();
        List<OutgoingSource> sources = new ArrayList<>(List.of(
                new OutgoingSource("d1", MediaKind.AUDIO, 1111, null, "remoteA", "audioA", "cnA", false),
                new OutgoingSource("d2", MediaKind.VIDEO, 2222, 2223L, "remoteA", "videoA", "cnA", true),
                new OutgoingSource("d3", MediaKind.VIDEO, 3333, 3334L, "remoteB", "videoB", "cnB", true)));
        Offer second = OfferBuilder.build(state, LOCAL, sources);
        SessionDescription d = second.description();
        assertThat(d.media()).extracting(MediaDescription::mid).containsExactly("0", "1", "2", "d1", "d2", "d3");
        assertThat(d.origin().sessionVersion()).isEqualTo(3);
        assertThat(d.media("d1").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(d.media("d1").msids()).containsExactly(new Msid("remoteA", "audioA"));
        assertThat(d.media("d2")).isEqualTo(first.description().media("d2"));
        assertThat(Fixtures.section(second.sdp(), "d3")).contains("a=sendonly", "a=ssrc-group:FID 3333 3334",
                "a=msid:remoteB videoB");
        assertThat(d.media("d3").formats()).isEqualTo(d.media("d2").formats());

        // a source that is gone leaves its m-line inactive and empty
        Offer third = OfferBuilder.build(state, LOCAL, sources.subList(1, 2));
        assertThat(third.description().media("d1").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(third.description().media("d1").msids()).isEmpty();
        assertThat(third.description().media("d1").ssrcs()).isEmpty();
        assertThat(third.description().media("d1").port()).isEqualTo(40000);
    }

    @Test
    void aiortcReofferUsesItsIdsPerKindAndItsAnswerIsAccepted() {
        Offer offer = firstReoffer("aiortc-offer.sdp");
        String sdp = offer.sdp();
        // aiortc maps id 2 to audio level in audio and to abs-send-time in video but parses the whole BUNDLE with one
        // map: downstream lines keep its payload types but get ids of their own for those two extensions
        List<String> audio = Fixtures.section(sdp, "d1");
        assertThat(audio.get(0)).isEqualTo("m=audio 40000 UDP/TLS/RTP/SAVPF 96");
        assertThat(audio).filteredOn(l -> l.startsWith("a=extmap")).containsExactly(
                "a=extmap:3 " + RtpHeaderExtensions.SSRC_AUDIO_LEVEL,
                "a=extmap:4 " + RtpHeaderExtensions.TRANSPORT_WIDE_CC);
        List<String> video = Fixtures.section(sdp, "d2");
        assertThat(video.get(0)).isEqualTo("m=video 40000 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102");
        // transport-cc goes down even though aiortc did not offer it (the SFU stamps it; aiortc may decline it)
        assertThat(video).filteredOn(l -> l.startsWith("a=extmap")).containsExactly(
                "a=extmap:5 " + RtpHeaderExtensions.ABS_SEND_TIME, "a=extmap:4 " + RtpHeaderExtensions.TRANSPORT_WIDE_CC);
        assertThat(video).filteredOn(l -> l.startsWith("a=rtcp-fb:97")).containsExactly("a=rtcp-fb:97 nack",
                "a=rtcp-fb:97 nack pli", "a=rtcp-fb:97 goog-remb", "a=rtcp-fb:97 transport-cc", "a=rtcp-fb:97 ccm fir");

        // aiortc answers our still-rejected data channel line with a real port: tolerated, it stays rejected
        SessionDescription answer = Fixtures.parse("aiortc-reoffer-answer.sdp");
        assertThat(answer.media("2").port()).isNotZero();
        AppliedAnswer applied = OfferBuilder.applyAnswer(offer, answer);
        assertThat(applied.rejectedDownstreamMids()).isEmpty();
        assertThat(applied.negotiated().sctp()).isNull();
        assertThat(applied.negotiated().media()).extracting(NegotiatedMedia::mid).containsExactly("0", "1", "d1", "d2");
        assertThat(applied.negotiated().media("d1").extensions()).containsExactly(
                java.util.Map.entry(3, RtpHeaderExtensions.SSRC_AUDIO_LEVEL));
        // the next re-offer keeps the ids it chose, and the data channel line rejected
        SessionDescription next = OfferBuilder.build(applied.state(), LOCAL, Fixtures.firstSources()).description();
        assertThat(next.media("2").port()).isZero();
        assertThat(next.media("d1").extmaps()).isEqualTo(offer.description().media("d1").extmaps());
        assertThat(next.media("d2").extmaps()).isEqualTo(offer.description().media("d2").extmaps());
    }

    @Test
    void defaultsAvoidThePayloadTypesAndIdsTheClientUses() {
        SessionDescription aiortc = Fixtures.parse("aiortc-offer.sdp");
        SessionDescription audioOnly = aiortc.toBuilder().clearMedia().addMedia(aiortc.media().get(0))
                .bundle(List.of("0")).build();
        NegotiationState state = AnswerBuilder.build(audioOnly, LOCAL).state();
        MediaDescription video = OfferBuilder.build(state, LOCAL, Fixtures.firstSources()).description().media("d2");
        // opus is 96 in aiortc: VP8 and its RTX move to the next free numbers; H264 keeps 102/103
        assertThat(video.formats()).containsExactly("97", "98", "102", "103");
        assertThat(video.rtpMap(97)).isEqualTo(new RtpMap(97, "VP8", 90000, null));
        assertThat(video.fmtp(98).apt()).isEqualTo(97);
        assertThat(video.fmtp(102).params()).isEqualTo(OfferBuilder.DEFAULT_H264_FMTP);
        assertThat(video.fmtp(103).apt()).isEqualTo(102);
        assertThat(video.rtcpFbsFor(97)).extracting(RtcpFb::feedback).containsExactly("goog-remb", "transport-cc", "ccm fir", "nack",
                "nack pli");
        // ids 1 (mid) and 2 (audio level) are taken, transport-cc took 3 on the audio line first: abs-send-time moves
        // to 4, the others keep Chromium's numbers
        assertThat(video.extmaps()).containsExactly(new Extmap(4, RtpHeaderExtensions.ABS_SEND_TIME),
                new Extmap(14, RtpHeaderExtensions.TOFFSET), new Extmap(13, RtpHeaderExtensions.VIDEO_ORIENTATION),
                new Extmap(5, RtpHeaderExtensions.PLAYOUT_DELAY), new Extmap(3, RtpHeaderExtensions.TRANSPORT_WIDE_CC));

        SessionDescription videoOnly = aiortc.toBuilder().clearMedia().addMedia(aiortc.media().get(1))
                .bundle(List.of("1")).build();
        MediaDescription audio = OfferBuilder.build(AnswerBuilder.build(videoOnly, LOCAL).state(), LOCAL,
                Fixtures.firstSources()).description().media("d1");
        assertThat(audio.formats()).containsExactly("111");
        assertThat(audio.fmtp(111).params()).isEqualTo("minptime=10;useinbandfec=1");
        // abs-send-time keeps the client's video id; audio level avoids 1 and 2
        assertThat(audio.extmaps()).containsExactly(new Extmap(3, RtpHeaderExtensions.SSRC_AUDIO_LEVEL),
                new Extmap(2, RtpHeaderExtensions.ABS_SEND_TIME),
                new Extmap(4, RtpHeaderExtensions.TRANSPORT_WIDE_CC));
    }

    @Test
    void rejectedDownstreamLineIsReportedAndStaysRejected() {
        Offer offer = firstReoffer("chromium-simulcast-offer.sdp");
        SessionDescription answer = withMedia(Fixtures.parse("chromium-simulcast-reoffer-answer.sdp"), "d2",
                m -> m.port(0));
        AppliedAnswer applied = OfferBuilder.applyAnswer(offer, answer);
        assertThat(applied.rejectedDownstreamMids()).containsExactly("d2");
        assertThat(applied.negotiated().downstream()).extracting(NegotiatedMedia::mid).containsExactly("d1");
        Offer next = OfferBuilder.build(applied.state(), LOCAL, Fixtures.firstSources());
        assertThat(next.description().media("d2").port()).isZero();
        assertThat(next.description().media("d2").ssrcs()).isEmpty();
        assertThat(next.description().bundle()).containsExactly("0", "1", "d1");
    }

    @Test
    void answersThatBreakTheRulesAreRefused() {
        Offer offer = firstReoffer("chromium-simulcast-offer.sdp");
        SessionDescription good = Fixtures.parse("chromium-simulcast-reoffer-answer.sdp");

        SessionDescription passive = withMedia(good, "d1", m -> m.setup(Setup.PASSIVE));
        assertThatThrownBy(() -> OfferBuilder.applyAnswer(offer, passive))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining("mid d1").hasMessageContaining("a=setup:passive");

        SessionDescription noBundle = good.toBuilder().bundle(null).build();
        assertThatThrownBy(() -> OfferBuilder.applyAnswer(offer, noBundle))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("BUNDLE");

        SessionDescription noMux = withMedia(good, "d2", m -> m.rtcpMux(false));
        assertThatThrownBy(() -> OfferBuilder.applyAnswer(offer, noMux))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("rtcp-mux");

        SessionDescription fewer = good.toBuilder().clearMedia().addMedia(good.media().get(0)).build();
        assertThatThrownBy(() -> OfferBuilder.applyAnswer(offer, fewer))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("has 1 m-lines but the offer had 5");

        SessionDescription renamed = withMedia(good, "d2", m -> m.mid("x"));
        assertThatThrownBy(() -> OfferBuilder.applyAnswer(offer, renamed))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("does not match the offer's mid d2");

        assertThatThrownBy(() -> OfferBuilder.applyAnswer(offer, "v=0\r\nnonsense\r\n"))
                .isInstanceOf(SdpParseException.class);
    }

    @Test
    void sourcesMustNotClashWithExistingLines() {
        NegotiationState state = answered("chromium-simulcast-offer.sdp");
        OutgoingSource audio = Fixtures.firstSources().get(0);
        assertThatThrownBy(() -> OfferBuilder.build(state, LOCAL, List.of(audio, audio)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        OutgoingSource onUpstream = new OutgoingSource("0", MediaKind.AUDIO, 1, null, "s", "t", "c", true);
        assertThatThrownBy(() -> OfferBuilder.build(state, LOCAL, List.of(onUpstream)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client's own media");
        Offer offer = OfferBuilder.build(state, LOCAL, Fixtures.firstSources());
        NegotiationState after = OfferBuilder.applyAnswer(offer, Fixtures.text("chromium-simulcast-reoffer-answer.sdp"))
                .state();
        OutgoingSource kindChange = new OutgoingSource("d1", MediaKind.VIDEO, 1, null, "s", "t", "c", true);
        assertThatThrownBy(() -> OfferBuilder.build(after, LOCAL, List.of(kindChange)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a audio m-line");
    }
}
