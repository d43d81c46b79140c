package org.conclave.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtensionUriTest {
    @ParameterizedTest
    @CsvSource({
            "urn:ietf:params:rtp-hdrext:sdes:mid, MID",
            "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id, RTP_STREAM_ID",
            "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id, REPAIRED_RTP_STREAM_ID",
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level, AUDIO_LEVEL",
            "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time, ABS_SEND_TIME",
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01, TRANSPORT_WIDE_CC",
            "urn:ietf:params:rtp-hdrext:toffset, TOFFSET",
            "urn:3gpp:video-orientation, VIDEO_ORIENTATION",
            "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay, PLAYOUT_DELAY",
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension, DEPENDENCY_DESCRIPTOR",
    })
    void knownUris(String uri, ExtensionUri expected) {
        assertThat(ExtensionUri.fromUri(uri)).isEqualTo(expected);
        assertThat(expected.uri()).isEqualTo(uri);
    }

    @Test
    void unknownUris() {
        assertThat(ExtensionUri.fromUri(null)).isNull();
        assertThat(ExtensionUri.fromUri("")).isNull();
        assertThat(ExtensionUri.fromUri("urn:ietf:params:rtp-hdrext:sdes:MID")).isNull();
        assertThat(ExtensionUri.fromUri("http://www.webrtc.org/experiments/rtp-hdrext/video-timing")).isNull();
    }
}
