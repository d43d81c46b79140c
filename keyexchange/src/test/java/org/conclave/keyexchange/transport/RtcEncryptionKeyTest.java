package org.conclave.keyexchange.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.conclave.keyexchange.keys.MediaKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RtcEncryptionKeyTest {
    private static final MediaKey KEY = new MediaKey(42, new byte[32]);

    @ParameterizedTest
    @ValueSource(strings = {"m.rtc.encryption_key", "org.matrix.msc4143.rtc.encryption_key"})
    void roundTripsUnderBothTypeNames(String type) throws KeyTransportException {
        RtcEncryptionKey k = new RtcEncryptionKey("!r:hs", "@a:hs:DEV", KEY);
        String json = k.toContentJson();
        assertThat(json).isEqualTo("{\"room_id\":\"!r:hs\",\"member_id\":\"@a:hs:DEV\","
                + "\"media_key\":{\"index\":42,\"key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}");
        assertThat(RtcEncryptionKey.isKeyEventType(type)).isTrue();
        assertThat(RtcEncryptionKey.parse(type, json)).isEqualTo(k);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "io.element.call.encryption_keys| {}| is not m.rtc.encryption_key",
            "m.rtc.encryption_key| {\"member_id\":\"m\",\"media_key\":{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}}| 'room_id'",
            "m.rtc.encryption_key| {\"room_id\":\"r\",\"media_key\":{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}}| 'member_id'",
            "m.rtc.encryption_key| {\"room_id\":\"r\",\"member_id\":\"m\"}| 'media_key' must be an object",
            "m.rtc.encryption_key| {\"room_id\":\"r\",\"member_id\":\"m\",\"media_key\":[]}| 'media_key' must be an object",
            "m.rtc.encryption_key| {\"room_id\":\"r\",\"member_id\":\"m\",\"media_key\":{\"index\":1}}| 'key' must be a string",
            "m.rtc.encryption_key| {\"room_id\":\"r\",\"member_id\":\"m\",\"media_key\":{\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}}| 'index'",
            "m.rtc.encryption_key| \"just a string\"| not a JSON object",
            "m.rtc.encryption_key| {\"room_id\":| not valid JSON",
    })
    void rejectsMalformedContent(String type, String json, String message) {
        assertThatThrownBy(() -> RtcEncryptionKey.parse(type, json))
                .isInstanceOf(KeyTransportException.Malformed.class).hasMessageContaining(message);
    }

    @Test
    void otherTypesAreNotKeyEvents() {
        assertThat(RtcEncryptionKey.isKeyEventType("m.room.message")).isFalse();
        assertThat(RtcEncryptionKey.isKeyEventType(null)).isFalse();
    }
}
