package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnswerBuilderTest {
    private static final LocalTransport LOCAL = Fixtures.LOCAL;
    private static final LocalTransport WITH_DATA = LOCAL.withAcceptDataChannel(true);

    private static Answer answer(String fixture, LocalTransport local) {
        Answer a = AnswerBuilder.build(Fixtures.parse(fixture), local);
        assertThat(SdpParser.parse(a.sdp())).isEqualTo(a.description());
        return a;
    }

    @Test
    void chromiumOffer() {
        Answer a = answer("chromium-offer.sdp", LOCAL);
        String sdp = a.sdp();
        assertThat(Fixtures.sessionPart(sdp)).containsExactly("v=0", "o=- 42 1 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "a=group:BUNDLE 0 1", "a=ice-lite", "a=extmap-allow-mixed", "a=msid-semantic: WMS *");

        List<String> audio = Fixtures.section(sdp, "0");
        assertThat(audio).startsWith("m=audio 40000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1",
                "a=ice-ufrag:sfuU", "a=ice-pwd:sfupasswordsfupassword12", "a=fingerprint:" + Fixtures.FINGERPRINT,
                "a=setup:passive", "a=mid:0");
        assertThat(audio).contains("a=recvonly", "a=rtcp-mux", "a=rtcp-rsize", "a=rtpmap:111 opus/48000/2",
                "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=extmap:3 " + RtpHeaderExtensions.TRANSPORT_WIDE_CC, "a=" + Fixtures.CANDIDATE, "a=end-of-candidates");
        assertThat(audio).noneMatch(l -> l.startsWith("a=rtpmap:63") || l.startsWith("a=rtpmap:9 ")
                || l.startsWith("a=rtpmap:110") || l.startsWith("a=ssrc") || l.startsWith("a=msid"));

        List<String> video = Fixtures.section(sdp, "1");
        // VP8 + H264 packetization-mode=1 with their RTX; H264 mode 0, AV1, VP9, red, ulpfec dropped
        assertThat(video.get(0)).isEqualTo("m=video 40000 UDP/TLS/RTP/SAVPF 96 97 102 103 108 109 116 117");
        assertThat(video).contains("a=recvonly", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "a=rtcp-fb:96 ccm fir",
                "a=rtcp-fb:96 goog-remb", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 transport-cc",
                "a=fmtp:116 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f",
                "a=extmap:14 " + RtpHeaderExtensions.TOFFSET, "a=extmap:10 " + RtpHeaderExtensions.RTP_STREAM_ID);
        assertThat(video).noneMatch(l -> l.contains("video-content-type") || l.contains("dependency-descriptor")
                || l.contains("color-space") || l.startsWith("a=candidate") || l.startsWith("a=rtcp-fb:97"));

        // data channels are off by default: port 0, still in order with its mid
        assertThat(Fixtures.section(sdp, "2")).startsWith("m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0");
        assertThat(a.rejected()).containsOnlyKeys("2");
    }

    @Test
    void dataChannelWhenEnabled() {
        Answer a = answer("chromium-offer.sdp", WITH_DATA);
        assertThat(a.description().bundle()).containsExactly("0", "1", "2");
        assertThat(Fixtures.section(a.sdp(), "2")).contains("m=application 40000 UDP/DTLS/SCTP webrtc-datachannel",
                "a=setup:passive", "a=sctp-port:5000", "a=max-message-size:262144");
        assertThat(a.negotiated().sctp()).isEqualTo(new SctpParameters("2", 5000, 262144, 5000, 262144));
        assertThat(a.rejected()).isEmpty();
    }

    @Test
    void chromiumSimulcastIsAcceptedLayerForLayer() {
        Answer a = answer("chromium-simulcast-offer.sdp", LOCAL);
        List<String> video = Fixtures.section(a.sdp(), "1");
        assertThat(video).contains("a=recvonly", "a=rid:l recv", "a=rid:m recv", "a=rid:h recv", "a=simulcast:recv l;m;h");
        NegotiatedMedia up = a.negotiated().media("1");
        assertThat(up.rids()).containsExactly("l", "m", "h");
        assertThat(up.remoteDirection()).isEqualTo(Direction.SENDONLY);
        assertThat(up.msid().trackId()).isEqualTo("ce41cbcf-c5aa-4a55-8e13-f5b4e49fb19f");
    }

    @Test
    void pausedSimulcastLayersAreMirrored() {
        String offer = Fixtures.text("chromium-simulcast-offer.sdp").replace("a=simulcast:send l;m;h", "a=simulcast:send l;~m;h");
        Answer a = AnswerBuilder.build(SdpParser.parse(offer), LOCAL);
        assertThat(Fixtures.section(a.sdp(), "1")).contains("a=simulcast:recv l;~m;h");
    }

    @Test
    void aiortcQuirks() {
        Answer a = answer("aiortc-offer.sdp", WITH_DATA);
        Negotiated n = a.negotiated();
        // one ufrag per m-line in the offer: all recorded, our answer uses ours everywhere
        assertThat(n.remoteIceUfrags()).containsExactly("XMOi", "49SL", "pkpA");
        assertThat(a.description().media()).extracting(MediaDescription::iceUfrag).containsOnly("sfuU");
        // extmap id 2 is audio level in audio and abs-send-time in video: both kept, per m-line and per kind
        assertThat(Fixtures.section(a.sdp(), "0")).contains("a=extmap:2 " + RtpHeaderExtensions.SSRC_AUDIO_LEVEL);
        assertThat(Fixtures.section(a.sdp(), "1")).contains("a=extmap:2 " + RtpHeaderExtensions.ABS_SEND_TIME);
        assertThat(n.extensions(MediaKind.AUDIO)).isEqualTo(Map.of(1, RtpHeaderExtensions.MID, 2,
                RtpHeaderExtensions.SSRC_AUDIO_LEVEL));
        assertThat(n.extensions(MediaKind.VIDEO)).isEqualTo(Map.of(1, RtpHeaderExtensions.MID, 2,
                RtpHeaderExtensions.ABS_SEND_TIME));
        assertThat(n.media("0").extensions().get(2)).isEqualTo(RtpHeaderExtensions.SSRC_AUDIO_LEVEL);
        // RTX kept; no transport-cc anywhere (aiortc offers none)
        assertThat(Fixtures.section(a.sdp(), "1").get(0)).isEqualTo("m=video 40000 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102");
        assertThat(n.payloadTypes().get(98)).isEqualTo(new PayloadType(98, MediaKind.VIDEO, n.media("1").codec(97), true));
        assertThat(n.payloadTypes().get(96).codec().name()).isEqualTo("opus");
        assertThat(n.media("1").ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(3981986919L, 3389032523L)));
        assertThat(n.media("0").ssrcs()).containsExactly(2030072313L);
        assertThat(n.media("0").msid()).isNotNull();
        assertThat(n.rtcpReducedSize()).isFalse();
        // legacy data channel m-line answered in kind
        assertThat(Fixtures.section(a.sdp(), "2")).contains("m=application 40000 DTLS/SCTP 5000",
                "a=sctpmap:5000 webrtc-datachannel 65535", "a=max-message-size:262144");
        assertThat(n.sctp()).isEqualTo(new SctpParameters("2", 5000, 65536, 5000, 262144));
    }

    @Test
    void firefoxOffer() {
        Answer a = answer("firefox-offer.sdp", LOCAL);
        List<String> audio = Fixtures.section(a.sdp(), "0");
        assertThat(audio.get(0)).isEqualTo("m=audio 40000 UDP/TLS/RTP/SAVPF 109");
        assertThat(audio).contains("a=fmtp:109 useinbandfec=1", "a=extmap:1 " + RtpHeaderExtensions.SSRC_AUDIO_LEVEL)
                .noneMatch(l -> l.contains("csrc-audio-level") || l.contains("telephone-event"));
        List<String> video = Fixtures.section(a.sdp(), "1");
        // H264 97 has no packetization-mode (mode 0): dropped with its RTX 98
        assertThat(video.get(0)).isEqualTo("m=video 40000 UDP/TLS/RTP/SAVPF 120 124 126 127");
        assertThat(video).contains("a=extmap:6 " + RtpHeaderExtensions.PLAYOUT_DELAY, "a=rtcp-fb:126 transport-cc");
        // Firefox puts its fingerprint at session level only
        assertThat(a.negotiated().remoteFingerprints()).containsExactly(Fingerprint.parse("sha-256 7A:2E:91:0C:55:B3:1D:"
                + "E8:46:90:AF:3C:12:77:D4:8B:0E:69:C2:5F:A1:38:EB:04:DD:73:1A:9F:60:C5:B2:8E"));
        assertThat(a.negotiated().rtcpReducedSize()).isFalse(); // Firefox's audio has no rtcp-rsize
    }

    static Stream<Arguments> refusedOffers() {
        return Stream.of(
                Arguments.of("malformed-no-bundle.sdp", "no a=group:BUNDLE"),
                Arguments.of("malformed-missing-fingerprint.sdp", "has no DTLS fingerprint"),
                Arguments.of("malformed-setup-passive.sdp", "says a=setup:passive"),
                Arguments.of("malformed-no-rtcp-mux.sdp", "does not use rtcp-mux"));
    }

    @ParameterizedTest
    @MethodSource("refusedOffers")
    void refusedWithASentence(String fixture, String why) {
        SessionDescription offer = Fixtures.parse(fixture);
        assertThatThrownBy(() -> AnswerBuilder.build(offer, LOCAL))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining(why);
    }

    private static final String MINIMAL = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a v\r\n"
            + "a=ice-ufrag:uuuu\r\na=ice-pwd:pppppppppppppppppppppp\r\na=fingerprint:sha-256 AA:BB\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 96 98\r\na=mid:v\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n"
            + "a=rtcp-fb:96 transport-cc\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 ccm tmmbr\r\na=rtcp-fb:96 goog-lntf\r\n"
            + "a=rtpmap:98 VP9/90000\r\n";

    private static Answer minimal(String from, String to) {
        String offer = MINIMAL.replace(from, to);
        assertThat(offer).isNotEqualTo(MINIMAL);
        return AnswerBuilder.build(SdpParser.parse(offer), LOCAL);
    }

    @Test
    void sessionLevelCredentialsAndDefaultDirection() {
        Answer a = AnswerBuilder.build(SdpParser.parse(MINIMAL), LOCAL);
        assertThat(a.negotiated().remoteIce()).containsExactly(new IceCredentials("uuuu", "pppppppppppppppppppppp"));
        assertThat(a.description().media("a").direction()).isEqualTo(Direction.RECVONLY);
        assertThat(a.description().media("v").direction()).isEqualTo(Direction.RECVONLY); // no attribute = sendrecv
        // transport-cc feedback needs the transport-wide-cc extension; goog-lntf is not forwarded
        assertThat(a.description().media("v").rtcpFbs()).extracting(RtcpFb::feedback).containsExactly("nack", "ccm tmmbr");
        assertThat(a.description().media("v").formats()).containsExactly("96");
    }

    @Test
    void recvonlyOrInactiveOfferIsAnsweredInactive() {
        assertThat(minimal("a=sendonly", "a=recvonly").description().media("a").direction()).isEqualTo(Direction.INACTIVE);
        assertThat(minimal("a=sendonly", "a=inactive").description().media("a").direction()).isEqualTo(Direction.INACTIVE);
    }

    @Test
    void setupActiveIsStillAnsweredPassive() {
        Answer a = minimal("a=fingerprint:sha-256 AA:BB\r\n", "a=fingerprint:sha-256 AA:BB\r\na=setup:active\r\n");
        assertThat(a.description().media()).extracting(MediaDescription::setup).containsOnly(Setup.PASSIVE);
    }

    @Test
    void sectionWithoutUsableCodecIsRejectedNotTheSession() {
        Answer a = minimal("m=video 9 UDP/TLS/RTP/SAVPF 96 98", "m=video 9 UDP/TLS/RTP/SAVPF 98");
        assertThat(a.description().media("v").port()).isZero();
        assertThat(a.description().bundle()).containsExactly("a");
        assertThat(a.rejected()).containsEntry("v", "it offers neither VP8 nor H264 with packetization-mode=1");
        assertThat(a.negotiated().media()).extracting(NegotiatedMedia::mid).containsExactly("a");
    }

    @Test
    void sectionOutsideBundleIsRejected() {
        Answer a = minimal("a=group:BUNDLE a v", "a=group:BUNDLE a");
        assertThat(a.description().media("v").port()).isZero();
        assertThat(a.rejected()).containsEntry("v", "it is not in the BUNDLE group");
    }

    @Test
    void bundleOnlySectionIsAcceptedAndPortZeroSectionRejected() {
        Answer a = minimal("m=video 9 UDP/TLS/RTP/SAVPF 96 98\r\na=mid:v\r\n",
                "m=video 0 UDP/TLS/RTP/SAVPF 96 98\r\na=mid:v\r\na=bundle-only\r\n");
        assertThat(a.description().media("v").port()).isEqualTo(40000);
        Answer b = minimal("m=video 9 UDP/TLS/RTP/SAVPF 96 98", "m=video 0 UDP/TLS/RTP/SAVPF 96 98");
        assertThat(b.description().media("v").port()).isZero();
    }

    @Test
    void offerWithOnlyUnusableMediaIsRefusedWithEveryReason() {
        String offer = MINIMAL.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 PCMU/8000")
                .replace("m=video 9 UDP/TLS/RTP/SAVPF 96 98", "m=video 9 UDP/TLS/RTP/SAVPF 98");
        assertThatThrownBy(() -> AnswerBuilder.build(SdpParser.parse(offer), LOCAL))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessage("Nothing in the offer can be used: mid a: it offers no Opus/48000/2; mid v: it offers"
                        + " neither VP8 nor H264 with packetization-mode=1.");
    }

    @Test
    void missingIceCredentialsAreRefused() {
        assertThatThrownBy(() -> minimal("a=ice-pwd:pppppppppppppppppppppp\r\n", ""))
                .isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining("has no ICE credentials");
    }
}
