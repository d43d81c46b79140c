package org.conclave.keyexchange.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.conclave.keyexchange.keys.MediaKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ElementCallEncryptionKeysTest {
    private static final byte[] KEY = new byte[32];
    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) i;
        }
    }
    /** Base64 of bytes 0..31 without the trailing '='. */
    private static final String KEY_B64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    @Test
    void producesElementCallContentWithUnpaddedKey() throws KeyTransportException {
        String json = ElementCallEncryptionKeys.of(List.of(new MediaKey(7, KEY)), "DEVICEID", 1_700_000_000_123L)
                .toContentJson(RoomState.encrypted("!room:hs", "m.megolm.v1.aes-sha2"));
        assertThat(json).isEqualTo("{\"keys\":[{\"index\":7,\"key\":\"" + KEY_B64 + "\"}],"
                + "\"device_id\":\"DEVICEID\",\"call_id\":\"\",\"sent_ts\":1700000000123}");
        assertThat(ElementCallEncryptionKeys.parse(json)).isEqualTo(new ElementCallEncryptionKeys(
                List.of(new MediaKey(7, KEY)), "DEVICEID", "", 1_700_000_000_123L));
    }

    @Test
    void refusesToProduceKeysForAnUnencryptedRoom() {
        ElementCallEncryptionKeys keys = ElementCallEncryptionKeys.of(List.of(new MediaKey(0, KEY)), "D", 1);
        assertThatThrownBy(() -> keys.toContentJson(RoomState.unencrypted("!plain:hs")))
                .isInstanceOfSatisfying(KeyTransportException.UnencryptedRoom.class,
                        e -> assertThat(e.roomId()).isEqualTo("!plain:hs"))
                .hasMessageStartingWith("Refusing to send media keys into room !plain:hs: its state has no "
                        + "m.room.encryption event");
    }

    @Test
    void readsWhatElementCallSends() throws KeyTransportException {
        // Element Call makes 16-byte keys; several keys per event; padded base64 is tolerated.
        String json = "{\"keys\":[{\"index\":0,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"},"
                + "{\"index\":255,\"key\":\"AAECAwQFBgcICQoLDA0ODw==\"}],\"device_id\":\"ABC\",\"call_id\":\"\","
                + "\"sent_ts\":1,\"unknown\":{\"x\":[1,2]}}";
        ElementCallEncryptionKeys parsed = ElementCallEncryptionKeys.parse(json);
        assertThat(parsed.keys()).extracting(MediaKey::index).containsExactly(0, 255);
        assertThat(parsed.keys().get(0).key()).hasSize(16);
        assertThat(parsed.keys().get(1)).isEqualTo(new MediaKey(255, parsed.keys().get(0).key()));
        assertThat(ElementCallEncryptionKeys.parse("{\"keys\":[{\"index\":1,\"key\":\"" + KEY_B64
                + "\"}],\"device_id\":\"D\"}")).isEqualTo(new ElementCallEncryptionKeys(
                List.of(new MediaKey(1, KEY)), "D", "", 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``| is empty",
            "null| not a JSON object",
            "[]| not a JSON object",
            "{}| 'keys' must be an array",
            "{\"keys\":[],\"device_id\":\"D\"}| 'keys' must be an array",
            "{\"keys\":{},\"device_id\":\"D\"}| 'keys' must be an array",
            "{\"keys\":[1],\"device_id\":\"D\"}| must be an object",
            "{\"keys\":[{\"index\":256,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\"}| 'index' must be",
            "{\"keys\":[{\"index\":-1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\"}| 'index' must be",
            "{\"keys\":[{\"index\":1.5,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\"}| 'index' must be",
            "{\"keys\":[{\"index\":\"1\",\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\"}| 'index' must be",
            "{\"keys\":[{\"index\":99999999999,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\"}| 'index' must be",
            "{\"keys\":[{\"index\":1,\"key\":\"!!!!\"}],\"device_id\":\"D\"}| not base64",
            "{\"keys\":[{\"index\":1,\"key\":\"AAEC\"}],\"device_id\":\"D\"}| must decode to 16..64 bytes, got 3",
            "{\"keys\":[{\"index\":1,\"key\":5}],\"device_id\":\"D\"}| 'key' must be a string",
            "{\"keys\":[{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}]}| 'device_id' must be a string",
            "{\"keys\":[{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":7}| 'device_id' must be a string",
            "{\"keys\":[{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\",\"sent_ts\":\"now\"}| 'sent_ts' must be an integer",
            "{\"keys\":[{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\",\"call_id\":null}| 'call_id' must be a string",
            "{\"keys\":[{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\",\"device_id\":\"E\"}| not valid JSON",
            "{\"keys\":[{\"index\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}],\"device_id\":\"D\"} {}| not valid JSON",
            "{\"keys\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}| not valid JSON",
    })
    void rejectsMalformedContent(String json, String message) {
        assertThatThrownBy(() -> ElementCallEncryptionKeys.parse(json))
                .isInstanceOf(KeyTransportException.Malformed.class).hasMessageContaining(message);
    }

    @Test
    void rejectsTooManyKeysAndOversizedContent() {
        StringBuilder many = new StringBuilder("{\"device_id\":\"D\",\"keys\":[");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("{\"index\":").append(i)
                    .append(",\"key\":\"AAECAwQFBgcICQoLDA0ODw\"}");
        }
        assertThatThrownBy(() -> ElementCallEncryptionKeys.parse(many + "]}"))
                .isInstanceOf(KeyTransportException.Malformed.class).hasMessageContaining("1..16 keys");
        String huge = "{\"device_id\":\"" + "x".repeat(70_000) + "\"}";
        assertThatThrownBy(() -> ElementCallEncryptionKeys.parse(huge))
                .isInstanceOf(KeyTransportException.Malformed.class).hasMessageContaining("longer than");
        assertThatThrownBy(() -> ElementCallEncryptionKeys.parse(null))
                .isInstanceOf(KeyTransportException.Malformed.class);
    }
}
