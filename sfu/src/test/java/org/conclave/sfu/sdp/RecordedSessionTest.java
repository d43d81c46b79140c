package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions recorded against real peers (Chromium 156 headless with a 3-layer simulcast sender, aiortc 1.4): each peer
 * accepted the SFU's answer, then answered the SFU's re-offer. The builders must still produce exactly those texts,
 * and the peers' answers must still be accepted.
 */
class RecordedSessionTest {

    @ParameterizedTest
    @ValueSource(strings = {"chromium-simulcast", "aiortc"})
    void buildersReproduceWhatThePeerAccepted(String peer) {
        Answer answer = AnswerBuilder.build(Fixtures.parse(peer + "-offer.sdp"), Fixtures.LOCAL);
        assertThat(answer.sdp()).isEqualTo(Fixtures.text(peer + "-sfu-answer.sdp"));

        Offer reoffer = OfferBuilder.build(answer.state(), Fixtures.LOCAL, Fixtures.firstSources());
        assertThat(reoffer.sdp()).isEqualTo(Fixtures.text(peer + "-sfu-reoffer.sdp"));

        AppliedAnswer applied = OfferBuilder.applyAnswer(reoffer, Fixtures.text(peer + "-reoffer-answer.sdp"));
        assertThat(applied.rejectedDownstreamMids()).isEmpty();
        assertThat(applied.negotiated().downstream()).extracting(NegotiatedMedia::mid).containsExactly("d1", "d2");
        assertThat(applied.negotiated().downstream()).allSatisfy(m -> assertThat(m.codecs()).isNotEmpty());
    }
}
