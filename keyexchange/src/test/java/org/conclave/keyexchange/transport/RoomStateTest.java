package org.conclave.keyexchange.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table: the room's state events -> whether keys may be sent there. */
class RoomStateTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "[]| false",
            "[{\"type\":\"m.room.create\",\"state_key\":\"\",\"content\":{}}]| false",
            "[{\"type\":\"m.room.encryption\",\"state_key\":\"\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]| true",
            "[1,\"x\",null,{\"type\":\"m.room.encryption\",\"state_key\":\"\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]| true",
            "[{\"type\":\"m.room.encryption\",\"state_key\":\"x\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]| false",
            "[{\"type\":\"m.room.encryption\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]| false",
            "[{\"type\":\"m.room.encryption\",\"state_key\":\"\",\"content\":{}}]| false",
            "[{\"type\":\"m.room.encryption\",\"state_key\":\"\",\"content\":{\"algorithm\":\"\"}}]| false",
            "[{\"type\":\"m.room.encryption\",\"state_key\":\"\",\"content\":{\"algorithm\":5}}]| false",
            "[{\"type\":\"m.room.encryption\",\"state_key\":\"\",\"content\":\"x\"}]| false",
    })
    void table(String state, boolean encrypted) throws KeyTransportException {
        assertThat(RoomState.fromStateEvents("!r:hs", state).isEncrypted()).isEqualTo(encrypted);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{}", "[", "'nope'"})
    void rejectsWhatIsNotAnEventArray(String state) {
        assertThatThrownBy(() -> RoomState.fromStateEvents("!r:hs", state))
                .isInstanceOf(KeyTransportException.Malformed.class);
    }
}
