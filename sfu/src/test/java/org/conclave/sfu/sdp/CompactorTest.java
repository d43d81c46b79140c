package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an endpoint keeps of its negotiation for the session is compacted: equal to what was negotiated (the SDP it
 * writes is the same text), with the parts every m-line repeats held once.
 */
class CompactorTest {

    @ParameterizedTest
    @ValueSource(strings = {"chromium-offer.sdp", "chromium-simulcast-offer.sdp", "firefox-offer.sdp",
            "aiortc-offer.sdp", "aiortc-renegotiation-offer.sdp", "chromium-simulcast-sfu-reoffer-2.sdp",
            "chromium-simulcast-reoffer-2-answer.sdp", "aiortc-sfu-reoffer-2.sdp", "aiortc-reoffer-2-answer.sdp"})
    void aCompactedDescriptionEqualsTheOriginalAndWritesTheSameText(String fixture) {
        SessionDescription parsed = Fixtures.parse(fixture);

        SessionDescription compacted = new Compactor().compact(parsed);

        assertThat(compacted).isEqualTo(parsed);
        assertThat(SdpWriter.write(compacted)).isEqualTo(SdpWriter.write(parsed));
    }

    @Test
    void theStateKeepsDescriptionsEqualToTheExchangedOnes() {
        SessionDescription offer = Fixtures.parse("chromium-simulcast-offer.sdp");
        Answer answer = AnswerBuilder.build(offer, Fixtures.LOCAL);
        Offer reoffer = OfferBuilder.build(answer.state(), Fixtures.LOCAL, Fixtures.firstSources());
        SessionDescription clientAnswer = SdpParser.parse(Fixtures.text("chromium-simulcast-reoffer-answer.sdp"));

        NegotiationState applied = OfferBuilder.applyAnswer(reoffer, clientAnswer).state();

        assertThat(answer.state().remote()).isEqualTo(offer);
        assertThat(answer.state().local()).isEqualTo(answer.description());
        assertThat(applied.local()).isEqualTo(reoffer.description());
        assertThat(applied.remote()).isEqualTo(clientAnswer);
        assertThat(SdpWriter.write(applied.local())).isEqualTo(reoffer.sdp());
    }

    @Test
    void whatEveryMLineRepeatsIsKeptOnce() {
        NegotiationState s = Fixtures.chromiumAfterReoffers();
        MediaDescription d2 = s.local().media("d2");
        MediaDescription d3 = s.local().media("d3");

        // the SFU's own lines: the same codecs, feedback and extensions on both downstream video m-lines
        assertThat(d3.rtcpFbs()).isEqualTo(d2.rtcpFbs()).isSameAs(d2.rtcpFbs());
        assertThat(d3.rtpMaps()).isSameAs(d2.rtpMaps());
        assertThat(d3.extmaps()).isSameAs(d2.extmaps());
        assertThat(d3.formats()).isSameAs(d2.formats());
        // its ICE and DTLS lines on every m-line, and the client's repeated ones
        List<MediaDescription> local = s.local().media();
        assertThat(local).allSatisfy(m -> assertThat(m.fingerprints()).isSameAs(local.get(0).fingerprints()));
        assertThat(local).allSatisfy(m -> assertThat(m.icePwd()).isSameAs(local.get(0).icePwd()));
        List<MediaDescription> remote = s.remote().media();
        assertThat(remote.get(1).fingerprints().get(0)).isSameAs(remote.get(0).fingerprints().get(0));
        // and the two sides share what they agree on
        assertThat(s.remote().media("d2").rtpMap(96)).isEqualTo(d2.rtpMap(96)).isSameAs(d2.rtpMap(96));
    }
}
