package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SdpParserTest {

    /** A minimal valid SDP; line 9 is where the table puts the line under test. */
    private static final String HEAD = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111 96\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";

    @Test
    void chromiumOffer() {
        SessionDescription s = Fixtures.parse("chromium-offer.sdp");
        assertThat(s.origin()).isEqualTo(new Origin("-", "4555650351967927458", 2, "IN", "IP4", "127.0.0.1"));
        assertThat(s.bundle()).containsExactly("0", "1", "2");
        assertThat(s.extmapAllowMixed()).isTrue();
        assertThat(s.msidSemantic()).isEqualTo("WMS 3a8e1a45-fffc-4770-99ed-4467ca228801");
        assertThat(s.media()).extracting(MediaDescription::kind)
                .containsExactly(MediaKind.AUDIO, MediaKind.VIDEO, MediaKind.APPLICATION);

        MediaDescription audio = s.media().get(0);
        assertThat(audio.port()).isEqualTo(36890);
        assertThat(audio.connection()).isEqualTo(new Connection("IN", "IP4", "192.0.2.2"));
        assertThat(audio.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(audio.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isTrue();
        assertThat(audio.iceUfrag()).isEqualTo("YbwN");
        assertThat(audio.rtpMap(111)).isEqualTo(new RtpMap(111, "opus", 48000, 2));
        assertThat(audio.fmtp(111).params()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(audio.rtcpFbsFor(111)).containsExactly(new RtcpFb(111, "transport-cc", null));
        assertThat(audio.extmapUri(3)).isEqualTo(RtpHeaderExtensions.TRANSPORT_WIDE_CC);
        assertThat(audio.candidates()).hasSize(4).first()
                .isEqualTo("candidate:1737726609 1 udp 2122194687 192.0.2.2 36890 typ host generation 0 network-id 1");
        assertThat(audio.msids()).containsExactly(new Msid("3a8e1a45-fffc-4770-99ed-4467ca228801",
                "b91400b0-9107-418d-be22-448801ae8d84"));
        assertThat(audio.ssrcs()).contains(new SsrcAttribute(1737795154L, "cname", "jOkJy02sKU6Sgnh7"));
        // attributes the model does not interpret are kept, in order
        assertThat(audio.otherAttributes()).containsExactly(new Attribute("rtcp", "9 IN IP4 0.0.0.0"),
                new Attribute("ice-options", "trickle"), new Attribute("rtcp-xr", "rcvr-rtt=all"));

        MediaDescription video = s.media().get(1);
        List<Codec> codecs = video.codecs();
        assertThat(codecs.get(0)).extracting(Codec::pt, Codec::name, Codec::clockRate, Codec::rtxPt)
                .containsExactly(96, "VP8", 90000, 97);
        assertThat(codecs.get(0).rtcpFbs()).extracting(RtcpFb::feedback)
                .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(codecs).extracting(Codec::name).doesNotContain("rtx").contains("H264", "AV1", "VP9", "red");
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(151638913L, 1523992567L)));

        MediaDescription data = s.media().get(2);
        assertThat(data.proto()).isEqualTo("UDP/DTLS/SCTP");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.sctpPort()).isEqualTo(5000);
        assertThat(data.maxMessageSize()).isEqualTo(262144L);
    }

    @Test
    void chromiumSimulcastOffer() {
        MediaDescription video = Fixtures.parse("chromium-simulcast-offer.sdp").media().get(1);
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(video.rids()).containsExactly(new Rid("l", RidDirection.SEND, null),
                new Rid("m", RidDirection.SEND, null), new Rid("h", RidDirection.SEND, null));
        assertThat(video.simulcast().sendList()).isEqualTo("l;m;h");
        assertThat(video.simulcast().send()).extracting(SimulcastRid::id).containsExactly("l", "m", "h");
        assertThat(video.simulcast().recv()).isEmpty();
    }

    @Test
    void aiortcOfferWithItsQuirks() {
        SessionDescription s = Fixtures.parse("aiortc-offer.sdp");
        assertThat(s.msidSemantic()).isEqualTo("WMS *");
        // a different ICE ufrag on each bundled m-line
        assertThat(s.media()).extracting(MediaDescription::iceUfrag).containsExactly("XMOi", "49SL", "pkpA");
        // extmap id 2 means a different extension in audio and in video
        assertThat(s.media().get(0).extmapUri(2)).isEqualTo(RtpHeaderExtensions.SSRC_AUDIO_LEVEL);
        assertThat(s.media().get(1).extmapUri(2)).isEqualTo(RtpHeaderExtensions.ABS_SEND_TIME);
        // a=ssrc without msid, RTX with apt
        assertThat(s.media().get(0).ssrcs()).extracting(SsrcAttribute::attribute).containsExactly("cname");
        assertThat(s.media().get(1).fmtp(98).apt()).isEqualTo(97);
        assertThat(s.media().get(0).endOfCandidates()).isTrue();
        MediaDescription data = s.media().get(2);
        assertThat(data.proto()).isEqualTo("DTLS/SCTP");
        assertThat(data.otherAttributes()).contains(new Attribute("sctpmap", "5000 webrtc-datachannel 65535"));
    }

    @Test
    void firefoxOffer() {
        SessionDescription s = Fixtures.parse("firefox-offer.sdp");
        assertThat(s.fingerprints()).hasSize(1);
        assertThat(s.otherAttributes()).containsExactly(Attribute.flag("sendrecv"));
        assertThat(s.iceOptions()).isEqualTo("trickle");
        MediaDescription video = s.media().get(1);
        assertThat(video.fingerprints()).isEmpty();
        assertThat(s.fingerprintsOf(video)).isEqualTo(s.fingerprints());
        assertThat(video.extmaps()).contains(new Extmap(6, Direction.RECVONLY, RtpHeaderExtensions.PLAYOUT_DELAY, null));
        // fmtp lines came before their rtpmap; codecs() still pairs them up
        assertThat(video.codecs()).filteredOn(c -> c.is("H264")).extracting(Codec::pt, Codec::rtxPt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(126, 127), org.assertj.core.groups.Tuple.tuple(97, 98));
        assertThat(video.fmtp(126).parameter("packetization-mode")).isEqualTo("1");
        assertThat(s.media().get(2).maxMessageSize()).isEqualTo(1073741823L);
    }

    @Test
    void lfAndCrlfAndTrailingWhitespaceAndBlankLinesGiveTheSameModel() {
        String crlf = Fixtures.text("chromium-offer.sdp");
        String lf = crlf.replace("\r\n", "\n");
        String messy = crlf.replace("\r\n", " \t\r\n").replace("\r\na=mid:1", "\r\n\r\na=mid:1");
        SessionDescription expected = SdpParser.parse(crlf);
        assertThat(SdpParser.parse(lf)).isEqualTo(expected);
        assertThat(SdpParser.parse(messy)).isEqualTo(expected);
        assertThat(SdpParser.parse(crlf.substring(0, crlf.length() - 2))).isEqualTo(expected); // no final line end
    }

    @Test
    void unknownLinesAndAttributesAreKept() {
        SessionDescription s = SdpParser.parse(HEAD + "b=AS:64\r\nx=whatever\r\na=weird-thing\r\na=foo:bar baz\r\n");
        MediaDescription m = s.media().get(0);
        assertThat(m.extraLines()).containsExactly(new SdpLine('b', "AS:64"), new SdpLine('x', "whatever"));
        assertThat(m.otherAttributes()).containsExactly(Attribute.flag("weird-thing"), new Attribute("foo", "bar baz"));
        assertThat(SdpParser.parse(SdpWriter.write(s))).isEqualTo(s);
    }

    static Stream<Arguments> malformedLines() {
        return Stream.of(
                Arguments.of("m=audio", 9, "m= must be"),
                Arguments.of("m=audio x UDP/TLS/RTP/SAVPF 111", 9, "m= port must be a number"),
                Arguments.of("m=audio 70000 UDP/TLS/RTP/SAVPF 111", 9, "m= port must be a number from 0 to 65535"),
                Arguments.of("m=audio 9 UDP/TLS/RTP/SAVPF 111 opus", 9, "payload type must be a number"),
                Arguments.of("a=rtpmap:96", 9, "names no codec"),
                Arguments.of("a=rtpmap:96 /90000", 9, "a=rtpmap must be"),
                Arguments.of("a=rtpmap:96 VP8", 9, "a=rtpmap must be"),
                Arguments.of("a=rtpmap:x VP8/90000", 9, "payload type must be a number"),
                Arguments.of("a=rtpmap:128 VP8/90000", 9, "payload type must be a number from 0 to 127"),
                Arguments.of("a=rtpmap:96 VP8/fast", 9, "clock rate"),
                Arguments.of("a=rtpmap:111 opus/48000/2", 9, "a second a=rtpmap for payload type 111"),
                Arguments.of("a=fmtp:96 apt=x", 9, "apt"),
                Arguments.of("a=fmtp:x apt=1", 9, "payload type"),
                Arguments.of("a=rtcp-fb:96", 9, "names no feedback type"),
                Arguments.of("a=extmap:0 urn:ietf:params:rtp-hdrext:toffset", 9, "extmap id 0 is outside 1..255"),
                Arguments.of("a=extmap:256 urn:ietf:params:rtp-hdrext:toffset", 9, "extmap id 256 is outside 1..255"),
                Arguments.of("a=extmap:x urn:ietf:params:rtp-hdrext:toffset", 9, "extmap id must be a number"),
                Arguments.of("a=extmap:1/sideways urn:x", 9, "extmap direction 'sideways' is unknown"),
                Arguments.of("a=extmap:1", 9, "names no extension URI"),
                Arguments.of("a=extmap:1 urn:a\r\na=extmap:1 urn:b", 10, "extmap id 1 is used twice"),
                Arguments.of("a=ssrc:x cname:a", 9, "SSRC must be a number"),
                Arguments.of("a=ssrc:4294967296 cname:a", 9, "SSRC must be a number from 0 to 4294967295"),
                Arguments.of("a=ssrc:5", 9, "has no attribute after the SSRC"),
                Arguments.of("a=ssrc-group:FID", 9, "needs at least one SSRC"),
                Arguments.of("a=ssrc-group:FID 1 x", 9, "SSRC must be a number"),
                Arguments.of("a=rid:h", 9, "needs a direction"),
                Arguments.of("a=rid:h up", 9, "must be send or recv"),
                Arguments.of("a=simulcast:send", 9, "a=simulcast must be"),
                Arguments.of("a=simulcast:send a;;b", 9, "empty rid"),
                Arguments.of("a=simulcast:send a send b", 9, "unknown or repeated"),
                Arguments.of("a=setup:sideways", 9, "a=setup must be"),
                Arguments.of("a=fingerprint:sha-256", 9, "a fingerprint must be"),
                Arguments.of("a=mid:", 9, "a=mid needs a value"),
                Arguments.of("a=mid:1", 9, "a second a=mid"),
                Arguments.of("a=sendonly\r\na=recvonly", 10, "more than one direction attribute"),
                Arguments.of("a=sctp-port:many", 9, "a=sctp-port must be a number"),
                Arguments.of("a=candidate", 9, "a=candidate needs a value"),
                Arguments.of("c=IN IP4", 9, "c= must be"),
                Arguments.of("c=IN IP4 0.0.0.0\r\nc=IN IP4 0.0.0.0", 10, "a second c= line"),
                Arguments.of("hello", 9, "not of the form"),
                Arguments.of("A=b", 9, "not of the form"),
                Arguments.of("a=mid\u0001x", 9, "control character"),
                Arguments.of("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0", 10, "mid '0' is used by two m-lines"),
                Arguments.of("o=- 1 1 IN IP4 0.0.0.0", 9, "o= belongs before the first m= line"),
                Arguments.of("t=0 0", 9, "t= belongs before"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void malformedLineIsRefusedWithItsLineNumber(String line, int lineNumber, String why) {
        assertThatThrownBy(() -> SdpParser.parse(HEAD + line + "\r\n"))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(lineNumber));
    }

    static Stream<Arguments> malformedSessions() {
        return Stream.of(
                Arguments.of("", 0, "empty"),
                Arguments.of("o=- 1 1 IN IP4 0.0.0.0\r\n", 1, "must start with v=0"),
                Arguments.of("v=1\r\n", 1, "only SDP version 0"),
                Arguments.of("v=0\r\nv=0\r\n", 2, "a second v= line"),
                Arguments.of("v=0\r\ns=-\r\n", 0, "no o= line"),
                Arguments.of("v=0\r\no=- 1 one IN IP4 0.0.0.0\r\n", 2, "o= session version must be a number"),
                Arguments.of("v=0\r\no=- 1 1 IN IP4\r\n", 2, "o= must be"),
                Arguments.of("v=0\r\nm=audio 9 RTP/AVP 0\r\n", 2, "o= line must come before"),
                Arguments.of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\nt=1 2\r\n", 4, "only one t= line"),
                Arguments.of("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\na=group:BUNDLE 0\r\na=group:BUNDLE 1\r\n", 4,
                        "a second a=group:BUNDLE"));
    }

    @ParameterizedTest
    @MethodSource("malformedSessions")
    void malformedSessionIsRefused(String sdp, int lineNumber, String why) {
        assertThatThrownBy(() -> SdpParser.parse(sdp))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(lineNumber));
    }

    @Test
    void badRtpmapFixtureNamesItsLine() {
        assertThatThrownBy(() -> Fixtures.parse("malformed-bad-rtpmap.sdp"))
                .isInstanceOf(SdpParseException.class)
                .hasMessageStartingWith("SDP line 15: a=rtpmap must be");
    }

    @Test
    void otherGroupsAreKeptAsAttributesAndDoNotCountAsBundle() {
        SessionDescription s = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\na=group:LS 0 1\r\n");
        assertThat(s.bundle()).isNull();
        assertThat(s.otherAttributes()).containsExactly(new Attribute("group", "LS 0 1"));
    }

    @Test
    void lengthLimit() {
        int max = SdpLimits.DEFAULT_MAX_CHARS;
        String big = HEAD + "a=x:" + "y".repeat(max) + "\r\n";
        assertThatThrownBy(() -> SdpParser.parse(big))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining("the limit is " + max + " (this server's sfu.sdp_max_chars)")
                .satisfies(e -> assertThat(((SdpParseException) e).limit()).isEqualTo(SdpLimit.SDP_MAX_CHARS));
        String justFits = HEAD + "a=x:" + "y".repeat(max - HEAD.length() - 6) + "\r\n";
        assertThat(justFits).hasSize(max);
        assertThat(SdpParser.parse(justFits).media()).hasSize(1);
    }

    @Test
    void mediaSectionLimit() {
        int max = SdpLimits.DEFAULT_MAX_MEDIA_SECTIONS;
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n");
        for (int i = 0; i < max; i++) sdp.append("m=audio 0 RTP/AVP 0\r\n");
        assertThat(SdpParser.parse(sdp.toString()).media()).hasSize(max);
        sdp.append("m=audio 0 RTP/AVP 0\r\n");
        assertThatThrownBy(() -> SdpParser.parse(sdp.toString()))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining("more than " + max + " m-sections")
                .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(3 + max));
    }

    @Test
    void attributeLimit() {
        int max = SdpLimits.DEFAULT_MAX_ATTRIBUTES_PER_SECTION;
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n");
        for (int i = 0; i < max; i++) sdp.append("a=x\r\n");
        assertThat(SdpParser.parse(sdp.toString()).media().get(0).otherAttributes()).hasSize(max);
        sdp.append("a=x\r\n");
        assertThatThrownBy(() -> SdpParser.parse(sdp.toString()))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining("more than " + max + " attributes");
    }

    /** n m-sections of 3 attributes each, after a session part of 2 attributes. */
    private static String sections(int n) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\na=ice-lite\r\na=x\r\n");
        for (int i = 0; i < n; i++) sdp.append("m=audio 0 RTP/AVP 0\r\na=mid:").append(i).append("\r\na=x\r\na=y\r\n");
        return sdp.toString();
    }

    /** A configured limit below the default: what fits passes, one more is refused naming the limit and its key. */
    static Stream<Arguments> configuredLimits() {
        String four = sections(4);
        return Stream.of(
                Arguments.of(new SdpLimits(four.length(), 64, 1024), four, sections(5), SdpLimit.SDP_MAX_CHARS, 0,
                        "the limit is " + four.length() + " (this server's sfu.sdp_max_chars)"),
                Arguments.of(new SdpLimits(4096, 4, 1024), four, sections(5), SdpLimit.SDP_MAX_MEDIA_SECTIONS, 21,
                        "more than 4 m-sections (this server's sfu.sdp_max_media_sections)"),
                Arguments.of(new SdpLimits(4096, 64, 3), four, four + "a=z\r\n",
                        SdpLimit.SDP_MAX_ATTRIBUTES_PER_SECTION, 21,
                        "more than 3 attributes in one section (this server's sfu.sdp_max_attributes_per_section)"),
                Arguments.of(new SdpLimits(4096, 64, 3), four,
                        four.replaceFirst("a=x\r\nm=", "a=x\r\na=z\r\na=w\r\nm="),
                        SdpLimit.SDP_MAX_ATTRIBUTES_PER_SECTION, 6, "more than 3 attributes in one section"));
    }

    @ParameterizedTest
    @MethodSource("configuredLimits")
    void configuredLimitRefusesOneMoreNamingIt(SdpLimits limits, String fits, String tooMuch, SdpLimit limit,
            int lineNumber, String why) {
        assertThat(SdpParser.parse(fits, limits)).isEqualTo(SdpParser.parse(fits));
        assertThatThrownBy(() -> SdpParser.parse(tooMuch, limits))
                .isInstanceOfSatisfying(SdpParseException.class, e -> {
                    assertThat(e.limit()).isEqualTo(limit);
                    assertThat(e.lineNumber()).isEqualTo(lineNumber);
                })
                .hasMessageContaining(why)
                .hasMessageContaining("ask the server's operator to raise it");
        assertThat(SdpParser.parse(tooMuch).media()).isNotEmpty(); // the defaults take it: only the limit refused it
    }

    @Test
    void malformedSdpNamesNoLimit() {
        assertThatThrownBy(() -> SdpParser.parse("v=1\r\n", new SdpLimits(10, 1, 1)))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.limit()).isNull());
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new SdpLimits(0, 64, 1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SdpLimits(1024, -1, 1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SdpLimits(1024, 64, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void simulcastPausedMarkersAndAlternatives() {
        Simulcast s = Simulcast.parse("recv 1;~2,3 send 4");
        assertThat(s.recv()).containsExactly(new SimulcastRid("1", false), new SimulcastRid("2", true),
                new SimulcastRid("3", false));
        assertThat(s.send()).containsExactly(new SimulcastRid("4", false));
        assertThat(s.recvList()).isEqualTo("1;~2,3");
    }
}
