package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A later offer from the client, after the SFU added its own m-lines. */
class RenegotiationTest {
    private static final List<OutgoingSource> SOURCES = Fixtures.LATER_SOURCES;

    private static NegotiationState state() {
        return Fixtures.chromiumAfterReoffers();
    }

    private static SessionDescription offer(String mid, UnaryOperator<MediaDescription.Builder> change) {
        SessionDescription s = Fixtures.parse("chromium-simulcast-renegotiation-offer.sdp");
        SessionDescription.Builder b = s.toBuilder().clearMedia();
        for (MediaDescription m : s.media()) b.addMedia(mid.equals(m.mid()) ? change.apply(m.toBuilder()).build() : m);
        return b.build();
    }

    @Test
    void ourLinesStayDownstreamAndTheNewClientLineIsUpstream() {
        Answer a = AnswerBuilder.build(Fixtures.parse("chromium-simulcast-renegotiation-offer.sdp"), Fixtures.LOCAL,
                state(), SOURCES);
        SessionDescription d = a.description();
        assertThat(d.media("d2").direction()).isEqualTo(Direction.SENDONLY);
        assertThat(d.media("d2").msids()).containsExactly(new Msid("remoteA", "videoA"));
        assertThat(d.media("d2").ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2222L, 2223L)));
        // downstream keeps only the extensions the forwarding writes
        assertThat(d.media("d2").extmaps()).extracting(Extmap::uri).containsExactly(RtpHeaderExtensions.TOFFSET,
                RtpHeaderExtensions.ABS_SEND_TIME, RtpHeaderExtensions.VIDEO_ORIENTATION, RtpHeaderExtensions.PLAYOUT_DELAY);
        assertThat(d.media("d2").rtcpFbs()).noneMatch(fb -> fb.type().equals("transport-cc"));
        assertThat(d.media("3").direction()).isEqualTo(Direction.RECVONLY);
        assertThat(d.media("3").extmapId(RtpHeaderExtensions.TRANSPORT_WIDE_CC)).isNotNull();
        assertThat(a.negotiated().upstream()).extracting(NegotiatedMedia::mid).containsExactly("0", "1", "3");
        assertThat(a.negotiated().downstream()).extracting(NegotiatedMedia::mid).containsExactly("d1", "d2", "d3");
    }

    @Test
    void downstreamLineIsInactiveWhenTheClientStopsReceivingOrTheSourceIsGone() {
        Answer a = AnswerBuilder.build(offer("d2", m -> m.direction(Direction.INACTIVE)), Fixtures.LOCAL, state(),
                SOURCES.subList(0, 2));
        assertThat(a.description().media("d2").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(a.description().media("d3").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(a.description().media("d3").ssrcs()).isEmpty();
    }

    @Test
    void sourceOfAnotherKindRejectsTheLine() {
        List<OutgoingSource> wrong = List.of(new OutgoingSource("d2", MediaKind.AUDIO, 9, null, "s", "t", "c", true));
        Answer a = AnswerBuilder.build(Fixtures.parse("chromium-simulcast-renegotiation-offer.sdp"), Fixtures.LOCAL,
                state(), wrong);
        assertThat(a.description().media("d2").port()).isZero();
        assertThat(a.rejected()).containsEntry("d2", "the SFU sends AUDIO on it, not video");
    }

    @Test
    void reorderedOrRemovedLinesAreRefused() {
        SessionDescription full = Fixtures.parse("chromium-simulcast-renegotiation-offer.sdp");
        List<MediaDescription> media = full.media();
        SessionDescription.Builder swapped = full.toBuilder().clearMedia().addMedia(media.get(1)).addMedia(media.get(0));
        media.subList(2, media.size()).forEach(swapped::addMedia);
        assertThatThrownBy(() -> AnswerBuilder.build(swapped.build(), Fixtures.LOCAL, state(), SOURCES))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining("m-line #0 has mid 1 but was negotiated with mid 0");
        SessionDescription.Builder shorter = full.toBuilder().clearMedia();
        media.subList(0, 3).forEach(shorter::addMedia);
        assertThatThrownBy(() -> AnswerBuilder.build(shorter.build(), Fixtures.LOCAL, state(), SOURCES))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining("never removed");
    }
}
