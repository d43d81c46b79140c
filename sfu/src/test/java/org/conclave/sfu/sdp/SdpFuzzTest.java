package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hostile SDP: the parser throws nothing but {@link SdpParseException} and writes back what it read; the answer and
 * re-offer builders throw nothing but the two SDP exceptions and produce SDP that parses back to the same model.
 */
class SdpFuzzTest {
    private static NegotiationState recorded;

    @FuzzTest
    void parse(byte[] data) {
        SessionDescription s;
        try {
            s = SdpParser.parse(new String(data, StandardCharsets.UTF_8));
        } catch (SdpParseException expected) {
            return;
        }
        assertThat(SdpParser.parse(SdpWriter.write(s))).isEqualTo(s);
    }

    @FuzzTest
    void answer(byte[] data) {
        SessionDescription offer;
        Answer answer;
        try {
            offer = SdpParser.parse(new String(data, StandardCharsets.UTF_8));
            LocalTransport local = data.length % 2 == 0 ? Fixtures.LOCAL : Fixtures.LOCAL.withAcceptDataChannel(true);
            answer = AnswerBuilder.build(offer, local);
        } catch (SdpParseException | SdpNegotiationException expected) {
            return;
        }
        assertThat(SdpParser.parse(answer.sdp())).isEqualTo(answer.description());
        assertThat(answer.description().media()).hasSameSizeAs(offer.media());
        assertThat(answer.negotiated().bundleMids()).isNotEmpty();

        List<OutgoingSource> sources = Fixtures.firstSources().stream().filter(s -> offer.media(s.mid()) == null).toList();
        Offer reoffer;
        try {
            reoffer = OfferBuilder.build(answer.state(), Fixtures.LOCAL, sources);
        } catch (SdpNegotiationException expected) {
            return;
        }
        assertThat(SdpParser.parse(reoffer.sdp())).isEqualTo(reoffer.description());
        assertThat(reoffer.description().media()).hasSize(offer.media().size() + sources.size());
    }

    /** A hostile later offer against a real negotiated state (Chromium, after two SFU re-offers). */
    @FuzzTest
    void renegotiation(byte[] data) {
        if (recorded == null) recorded = Fixtures.chromiumAfterReoffers();
        SessionDescription offer;
        Answer answer;
        try {
            offer = SdpParser.parse(new String(data, StandardCharsets.UTF_8));
            answer = AnswerBuilder.build(offer, Fixtures.LOCAL, recorded, Fixtures.LATER_SOURCES);
        } catch (SdpParseException | SdpNegotiationException expected) {
            return;
        }
        assertThat(SdpParser.parse(answer.sdp())).isEqualTo(answer.description());
        assertThat(answer.description().media()).hasSameSizeAs(offer.media());
        assertThat(answer.description().origin().sessionVersion())
                .isEqualTo(recorded.local().origin().sessionVersion() + 1);
    }
}
