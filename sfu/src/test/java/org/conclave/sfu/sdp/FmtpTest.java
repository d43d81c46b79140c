package org.conclave.sfu.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Fmtp#parameter} and {@link Fmtp#apt()} read the text directly (issue #16): the same as the parameter map. */
class FmtpTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "apt=96|apt|96",
            "\"APT = 97 ;x=1\"|apt|97",
            "a=1;apt=2;apt=3|apt|2",
            ";;apt=5;|apt|5",
            "Apt=7;apt=8|apt|7",
            "x;apt=4|x|\"\"",
            "x=;apt=4|x|\"\"",
            "foo=bar|apt|",
            "\"\"|apt|",
            "xapt=1;aptx=2|apt|",
            "apt=96|APT|",
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f|packetization-mode|1",
            "minptime=10;useinbandfec=1|useinbandfec|1",
            "\"minptime=10 ; useinbandfec = 1\"|useinbandfec|1",
    })
    void aParameterIsWhatTheMapSays(String params, String key, String expected) {
        Fmtp f = new Fmtp(111, params);
        assertThat(f.parameter(key)).isEqualTo(expected).isEqualTo(f.parameters().get(key));
        String apt = f.parameters().get("apt");
        assertThat(f.apt()).isEqualTo(apt == null ? null : Integer.valueOf(apt));
    }
}
