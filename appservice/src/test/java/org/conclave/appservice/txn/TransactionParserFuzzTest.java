package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.RoomEvent;

/**
 * Fuzz target for the transaction body parser: any bytes either give a transaction whose units all carry what the
 * handler relies on, or a {@link TransactionException} with a 400 errcode; nothing else is thrown. Every unit is then
 * read through the event views the handlers get ({@link RoomEvent}, {@link EphemeralEvent}): no accessor throws.
 */
class TransactionParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(FuzzedDataProvider data) {
        String txnId = data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        Transaction txn;
        try {
            txn = TransactionParser.parse(txnId, Buffer.buffer(body));
        } catch (TransactionException e) {
            assertThat(e.errcode()).isIn(TransactionException.NOT_JSON, TransactionException.BAD_JSON,
                    TransactionException.INVALID_PARAM);
            return;
        }
        assertThat(txn.fingerprint()).matches("[0-9a-f]{32}");
        assertThat(txn.skipped()).isNotNegative();
        Set<String> keys = new HashSet<>();
        for (Unit unit : txn.units()) {
            assertThat(keys.add(unit.key())).as("unit keys are unique").isTrue();
            assertThat(unit.queue()).isNotNull();
            assertThat(unit.json().getValue("type")).isInstanceOf(String.class);
            if (unit.kind() == Unit.Kind.ROOM_EVENT) {
                assertThat(TransactionParser.isRoomEvent(unit.json())).isTrue();
                assertThat(unit.queue()).isEqualTo(unit.json().getString("room_id"));
                readAll(new RoomEvent(unit.json()));
            } else {
                readAll(new EphemeralEvent(unit.json()), unit.kind());
            }
        }
    }

    private static void readAll(RoomEvent event) {
        assertThat(event.eventId()).isNotNull();
        assertThat(event.roomId()).isNotNull();
        assertThat(event.type()).isNotNull();
        assertThat(event.sender()).isNotNull();
        assertThat(event.isState()).isEqualTo(event.stateKey() != null);
        assertThat(event.content()).isNotNull();
        assertThat(event.originServerTs()).isNotNull();
        assertThat(event.toString()).isNotBlank();
    }

    private static void readAll(EphemeralEvent event, Unit.Kind kind) {
        assertThat(event.type()).isNotNull();
        event.roomId();
        event.sender();
        if (kind == Unit.Kind.TO_DEVICE) {
            assertThat(event.toUserId()).isNotEmpty();
            assertThat(event.toDeviceId()).isNotEmpty();
        }
        assertThat(event.content()).isNotNull();
        assertThat(event.toString()).isNotBlank();
    }
}
