package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SdpWriterTest {

    @ParameterizedTest
    @ValueSource(strings = {"chromium-offer.sdp", "chromium-simulcast-offer.sdp", "chromium-simulcast-reoffer-answer.sdp",
            "aiortc-offer.sdp", "aiortc-reoffer-answer.sdp", "firefox-offer.sdp", "malformed-no-bundle.sdp"})
    void parseOfWriteIsTheSameModel(String fixture) {
        SessionDescription parsed = Fixtures.parse(fixture);
        String written = SdpWriter.write(parsed);
        assertThat(SdpParser.parse(written)).isEqualTo(parsed);
        assertThat(SdpWriter.write(SdpParser.parse(written))).isEqualTo(written);
    }

    @Test
    void canonicalOrderAndCrlf() {
        String written = SdpWriter.write(Fixtures.parse("firefox-offer.sdp"));
        assertThat(written).startsWith("v=0\r\no=mozilla...THIS_IS_SDPARTA-120.0 6120381741254436902 0 IN IP4 0.0.0.0\r\n"
                + "s=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\na=ice-options:trickle\r\na=fingerprint:sha-256 7A:2E:");
        assertThat(written).endsWith("\r\n");
        assertThat(written.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        // Firefox writes fmtp before rtpmap; the writer groups rtpmap, rtcp-fb, fmtp per payload type
        List<String> video = Fixtures.section(written, "1");
        assertThat(video.indexOf("a=rtpmap:124 rtx/90000")).isEqualTo(video.indexOf("a=fmtp:124 apt=120") - 1);
        assertThat(video.subList(video.indexOf("a=rtpmap:120 VP8/90000"), video.indexOf("a=rtpmap:120 VP8/90000") + 7))
                .containsExactly("a=rtpmap:120 VP8/90000", "a=rtcp-fb:120 nack", "a=rtcp-fb:120 nack pli",
                        "a=rtcp-fb:120 ccm fir", "a=rtcp-fb:120 goog-remb", "a=rtcp-fb:120 transport-cc",
                        "a=fmtp:120 max-fs=12288;max-fr=60");
        assertThat(video.get(1)).isEqualTo("c=IN IP4 0.0.0.0");
    }

    @Test
    void builtModelRoundTrips() {
        MediaDescription m = MediaDescription.builder().kind(MediaKind.VIDEO).port(9).mid("v")
                .addFormat("96").addFormat("97")
                .addRtcpFb(new RtcpFb(97, "nack", null)) // before its rtpmap: the model reorders
                .addRtcpFb(new RtcpFb(RtcpFb.ANY_PT, "ccm", "fir"))
                .addFmtp(new Fmtp(97, "apt=96"))
                .addRtpMap(new RtpMap(96, "VP8", 90000, null)).addRtpMap(new RtpMap(97, "rtx", 90000, null))
                .addRtcpFb(new RtcpFb(96, "nack", "pli"))
                .addFmtp(new Fmtp(100, "orphan=1"))
                .addExtmap(new Extmap(3, Direction.SENDONLY, RtpHeaderExtensions.TOFFSET, "x=1"))
                .addRid(new Rid("h", RidDirection.RECV, "max-width=1280"))
                .simulcast(Simulcast.parse("recv h;~l"))
                .addSsrcGroup(new SsrcGroup("SIM", List.of(1L, 2L)))
                .addSsrc(new SsrcAttribute(1, "cname", "c"))
                .addAttribute(new Attribute("x-custom", " spaced value"))
                .addExtraLine(new SdpLine('b', "AS:500"))
                .addCandidate(Fixtures.CANDIDATE).endOfCandidates(true)
                .build();
        SessionDescription s = SessionDescription.builder().origin(new Origin("-", "7", 3, "IN", "IP4", "0.0.0.0"))
                .bundle(List.of("v")).iceLite(true).msidSemantic("WMS *").addMedia(m).build();
        assertThat(m.rtcpFbs()).extracting(RtcpFb::pt).containsExactly(RtcpFb.ANY_PT, 96, 97);
        assertThat(SdpParser.parse(SdpWriter.write(s))).isEqualTo(s);
    }
}
