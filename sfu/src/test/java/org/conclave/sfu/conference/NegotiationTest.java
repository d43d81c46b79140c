package org.conclave.sfu.conference;

import org.conclave.sfu.codec.CodecId;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.sdp.Answer;
import org.conclave.sfu.sdp.LocalTransport;
import org.conclave.sfu.sdp.NegotiatedMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NegotiationTest {
    private final Negotiation negotiation = new Negotiation("sha-256 "
            + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");
    private static final List<String> CANDIDATES = List.of("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");

    @Test
    void aiortcOfferYieldsOneSourcePerSendingMediaLineWithoutRtx() throws IOException {
        Answer answer = negotiation.answer(fixture("aiortc-offer.sdp"),
                negotiation.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of());
        List<Source> sources = Negotiation.sources("ep", "alice", answer.negotiated(), new SecureRandom(), List.of());
        assertThat(sources).extracting(Source::kind).containsExactly(MediaKind.AUDIO, MediaKind.VIDEO);
        Source video = sources.get(1);
        assertThat(video.codecs().values()).noneMatch(c -> c.name().equals("rtx"));
        assertThat(video.clockRate()).isEqualTo(90000);
        // The RTX SSRC of the FID group is not a media SSRC of the source.
        assertThat(video.declaredSsrcs()).hasSize(1);
        Negotiation.Summary summary = Negotiation.summarize(answer.negotiated());
        assertThat(summary.remoteFingerprints()).hasSize(1);
    }

    @Test
    void chromiumSimulcastOfferBindsLayersThroughTheMidExtension() throws IOException {
        Answer answer = negotiation.answer(fixture("chromium-simulcast-offer.sdp"),
                negotiation.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of());
        Negotiation.Summary summary = Negotiation.summarize(answer.negotiated());
        assertThat(summary.midExtensionId()).isPositive();
        List<Source> sources = Negotiation.sources("ep", "bob", answer.negotiated(), new SecureRandom(), List.of());
        assertThat(sources).extracting(Source::kind).contains(MediaKind.VIDEO);
        assertThat(sources).allSatisfy(s -> assertThat(s.outSsrc()).isBetween(0L, 0xFFFFFFFFL));
    }

    @ParameterizedTest
    @CsvSource({
        "VP8, 90000, '', vp8/90000",
        "opus, 48000, 'minptime=10;useinbandfec=1', opus/48000",
        "H264, 90000, 'profile-level-id=42e01f;packetization-mode=1', h264/90000;pm=1",
        "H264, 90000, 'profile-level-id=42e01f', h264/90000;pm=0",
    })
    void codecsMatchAcrossClientsByNameRateAndPacketizationMode(String name, int rate, String fmtp, String key) {
        assertThat(CodecId.of(name, rate, fmtp).toString()).isEqualTo(key);
    }

    @Test
    void renegotiationKeepsExistingSourcesAndTheirSsrcs() throws IOException {
        LocalTransport local = negotiation.local(IceCredentials.random(), 1, 1, CANDIDATES);
        Answer first = negotiation.answer(fixture("aiortc-offer.sdp"), local, null, List.of());
        List<Source> before = Negotiation.sources("ep", "alice", first.negotiated(), new SecureRandom(), List.of());
        Answer again = negotiation.answer(fixture("aiortc-renegotiation-offer.sdp"),
                negotiation.local(IceCredentials.random(), 1, 2, CANDIDATES), first.state(), List.of());
        List<Source> after = Negotiation.sources("ep", "alice", again.negotiated(), new SecureRandom(), before);
        assertThat(after).containsAll(before.stream().filter(s -> after.stream().anyMatch(a -> a.mid().equals(s.mid()))).toList());
        assertThat(after).extracting(Source::outSsrc).doesNotHaveDuplicates();
    }

    @Test
    void downstreamMapsComeFromTheNegotiatedMediaLine() throws IOException {
        Answer answer = negotiation.answer(fixture("aiortc-offer.sdp"),
                negotiation.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of());
        NegotiatedMedia video = answer.negotiated().upstream().stream()
                .filter(m -> m.kind() == org.conclave.sfu.sdp.MediaKind.VIDEO).findFirst().orElseThrow();
        assertThat(Negotiation.payloadTypes(video)).containsKey(CodecId.vp8()).doesNotContainKey(CodecId.of("rtx", 90_000, null));
        assertThat(Negotiation.extensionIds(video)).containsValues(video.extensions().keySet().toArray(new Integer[0]));
    }

    @Test
    void newIceCredentialsInALaterClientOfferAreAnIceRestart() throws IOException {
        String offer = fixture("chromium-offer.sdp");
        IceCredentials ours = IceCredentials.random();
        Answer first = negotiation.answer(offer, negotiation.local(ours, 1, 1, CANDIDATES), null, List.of());
        Answer same = negotiation.answer(offer, negotiation.local(ours, 1, 2, CANDIDATES), first.state(), List.of());
        String restarted = offer.replace("a=ice-ufrag:YbwN", "a=ice-ufrag:Zq9x")
                .replace("a=ice-pwd:2d2eJViYvJ6SkMab7loEpANZ", "a=ice-pwd:0123456789abcdefghijklmn");
        Answer restart = negotiation.answer(restarted, negotiation.local(ours, 1, 3, CANDIDATES), first.state(), List.of());
        String newPassword = offer.replace("a=ice-pwd:2d2eJViYvJ6SkMab7loEpANZ", "a=ice-pwd:0123456789abcdefghijklmn");
        Answer passwordOnly = negotiation.answer(newPassword, negotiation.local(ours, 1, 4, CANDIDATES), first.state(), List.of());

        assertThat(Negotiation.restartsIce(same.negotiated(), first.negotiated())).isFalse();
        assertThat(Negotiation.restartsIce(restart.negotiated(), first.negotiated())).isTrue();
        assertThat(Negotiation.restartsIce(passwordOnly.negotiated(), first.negotiated())).isTrue();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = NegotiationTest.class.getResourceAsStream("/org/conclave/sfu/sdp/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
