package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #16 made the summary of an exchange cheaper ({@link Summarizer}, {@link MediaDescription#codecs()},
 * {@link Fmtp#apt()}); the summary decides the codecs, payload types and extension ids of every re-offer. Over random
 * joins and leaves, the summary equals the one of before ({@link ReferenceSummarizer}) after every offer and answer,
 * and so does every re-offer's text.
 */
class SummarizerReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"chromium-offer.sdp", "chromium-simulcast-offer.sdp", "firefox-offer.sdp",
            "aiortc-offer.sdp"})
    void summariesAndReoffersMatchTheReference(String fixture) {
        Random random = new Random(fixture.hashCode());
        NegotiationState state = AnswerBuilder.build(Fixtures.parse(fixture), Fixtures.LOCAL).state();
        assertSameSummary(state);
        List<OutgoingSource> sources = new ArrayList<>();
        int participants = 0;
        for (int step = 0; step < 60; step++) {
            int i = sources.isEmpty() ? 0 : random.nextInt(sources.size());
            if (sources.isEmpty() || random.nextInt(3) > 0) {
                participants++;
                sources.add(source(sources.size(), MediaKind.AUDIO, participants, true));
                if (random.nextBoolean()) sources.add(source(sources.size(), MediaKind.VIDEO, participants, true));
            } else {
                OutgoingSource s = sources.get(i); // a leave, or a pause and resume
                sources.set(i, new OutgoingSource(s.mid(), s.kind(), s.ssrc(), s.rtxSsrc(), s.streamId(), s.trackId(),
                        s.cname(), !s.active()));
            }
            Offer offer = OfferBuilder.build(state, Fixtures.LOCAL, sources);
            Offer reference = OfferBuilder.build(state, ReferenceSummarizer.summarize(state), Fixtures.LOCAL, sources);
            assertThat(offer.sdp()).isEqualTo(reference.sdp());
            AppliedAnswer applied = OfferBuilder.applyAnswer(offer, picky(Fixtures.mirroredAnswer(offer), random));
            assertThat(applied.negotiated()).isEqualTo(ReferenceSummarizer.summarize(applied.state()));
            state = applied.state();
        }
        assertThat(state.local().media()).hasSizeGreaterThan(40);
    }

    private static void assertSameSummary(NegotiationState state) {
        assertThat(state.negotiated()).isEqualTo(ReferenceSummarizer.summarize(state));
    }

    /** The answer with, on some m-lines, a feedback kind, an RTX format or an extension the client does not take. */
    private static SessionDescription picky(SessionDescription answer, Random random) {
        SessionDescription.Builder b = answer.toBuilder().clearMedia();
        for (MediaDescription m : answer.media()) {
            if (!m.isRtp() || random.nextInt(3) > 0) {
                b.addMedia(m);
                continue;
            }
            String fb = List.of("goog-remb", "transport-cc", "nack pli", "nack").get(random.nextInt(4));
            boolean noRtx = random.nextBoolean();
            MediaDescription.Builder mb = m.toBuilder().clearCodecs().clearExtmaps();
            for (RtpMap map : m.rtpMaps()) {
                if (noRtx && map.is("rtx", map.clockRate())) continue;
                mb.addFormat(Integer.toString(map.pt())).addRtpMap(map);
                if (m.fmtp(map.pt()) != null) mb.addFmtp(m.fmtp(map.pt()));
            }
            for (RtcpFb f : m.rtcpFbs()) {
                if (!f.feedback().equals(fb)) mb.addRtcpFb(f);
            }
            for (Extmap e : m.extmaps().subList(0, random.nextInt(m.extmaps().size() + 1))) mb.addExtmap(e);
            b.addMedia(mb.build());
        }
        return b.build();
    }

    private static OutgoingSource source(int line, MediaKind kind, int participant, boolean active) {
        boolean video = kind == MediaKind.VIDEO;
        return new OutgoingSource("s" + line, kind, 10_000 + 2L * line, video ? 10_001 + 2L * line : null,
                "stream" + participant, (video ? "video" : "audio") + participant, "conclave-e" + participant, active);
    }
}
