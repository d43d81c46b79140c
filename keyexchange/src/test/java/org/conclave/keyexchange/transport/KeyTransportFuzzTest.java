package org.conclave.keyexchange.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/** Hostile event contents: parsers throw nothing but {@link KeyTransportException.Malformed}; accepted ones re-encode. */
class KeyTransportFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parseElementCallKeys(String json) throws KeyTransportException.UnencryptedRoom {
        ElementCallEncryptionKeys parsed;
        try {
            parsed = ElementCallEncryptionKeys.parse(json);
        } catch (KeyTransportException.Malformed e) {
            return;
        }
        assertThat(parsed.keys()).isNotEmpty().hasSizeLessThanOrEqualTo(ElementCallEncryptionKeys.MAX_KEYS);
        String again = parsed.toContentJson(RoomState.encrypted("!r:hs", "m.megolm.v1.aes-sha2"));
        try {
            assertThat(ElementCallEncryptionKeys.parse(again)).isEqualTo(parsed);
        } catch (KeyTransportException.Malformed e) {
            throw new AssertionError("own output did not parse: " + again, e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void parseRtcKeyAndRoomState(String json) {
        for (String type : List.of(RtcEncryptionKey.EVENT_TYPE, RtcEncryptionKey.UNSTABLE_EVENT_TYPE)) {
            try {
                RtcEncryptionKey k = RtcEncryptionKey.parse(type, json);
                assertThat(RtcEncryptionKey.parse(type, k.toContentJson())).isEqualTo(k);
            } catch (KeyTransportException.Malformed e) {
                // expected for most inputs
            }
        }
        try {
            RoomState.fromStateEvents("!r:hs", json);
        } catch (KeyTransportException.Malformed e) {
            // expected for most inputs
        }
    }
}
