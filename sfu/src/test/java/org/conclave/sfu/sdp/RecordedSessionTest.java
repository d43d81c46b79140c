package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole sessions recorded against real peers (Chromium 156 headless with a 3-layer simulcast sender; aiortc 1.4):
 * the peer offered, accepted the SFU's answer, answered two SFU re-offers (add streams; pause one and add another),
 * then renegotiated itself by adding a track. The builders must still produce exactly the texts the peer accepted.
 */
class RecordedSessionTest {

    @ParameterizedTest
    @ValueSource(strings = {"chromium-simulcast", "aiortc"})
    void buildersReproduceWhatThePeerAccepted(String peer) {
        Answer answer = AnswerBuilder.build(Fixtures.parse(peer + "-offer.sdp"), Fixtures.LOCAL);
        assertThat(answer.sdp()).isEqualTo(Fixtures.text(peer + "-sfu-answer.sdp"));

        Offer first = OfferBuilder.build(answer.state(), Fixtures.LOCAL, Fixtures.firstSources());
        assertThat(first.sdp()).isEqualTo(Fixtures.text(peer + "-sfu-reoffer.sdp"));
        AppliedAnswer applied = OfferBuilder.applyAnswer(first, Fixtures.text(peer + "-reoffer-answer.sdp"));
        assertThat(applied.rejectedDownstreamMids()).isEmpty();
        assertThat(applied.negotiated().downstream()).extracting(NegotiatedMedia::mid).containsExactly("d1", "d2");
        assertThat(applied.negotiated().downstream()).allSatisfy(m -> assertThat(m.codecs()).isNotEmpty());

        List<OutgoingSource> later = Fixtures.LATER_SOURCES;
        Offer second = OfferBuilder.build(applied.state(), Fixtures.LOCAL, later);
        assertThat(second.sdp()).isEqualTo(Fixtures.text(peer + "-sfu-reoffer-2.sdp"));
        AppliedAnswer applied2 = OfferBuilder.applyAnswer(second, Fixtures.text(peer + "-reoffer-2-answer.sdp"));
        assertThat(applied2.negotiated().downstream()).extracting(NegotiatedMedia::mid).containsExactly("d1", "d2", "d3");

        Answer renegotiated = AnswerBuilder.build(Fixtures.parse(peer + "-renegotiation-offer.sdp"), Fixtures.LOCAL,
                applied2.state(), later);
        assertThat(renegotiated.sdp()).isEqualTo(Fixtures.text(peer + "-sfu-renegotiation-answer.sdp"));
        assertThat(renegotiated.description().origin().sessionVersion()).isEqualTo(4);
        assertThat(renegotiated.state().downstreamMids()).containsExactlyInAnyOrder("d1", "d2", "d3");
        assertThat(renegotiated.description().media("d1").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(renegotiated.description().media("d3").direction()).isEqualTo(Direction.SENDONLY);
        assertThat(renegotiated.description().media("d3").ssrcValues()).containsExactly(3333L, 3334L);
    }
}
