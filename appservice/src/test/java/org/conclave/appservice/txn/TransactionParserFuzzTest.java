package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.appservice.txn.TransactionLimit.MAX_TRANSACTION_VALUES;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.HashSet;
import java.util.Set;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.RoomEvent;

/**
 * Fuzz target for the transaction body parser: any bytes either give a transaction whose units all carry what the
 * handler relies on, or a {@link TransactionException} with a 400 errcode; nothing else is thrown. Every unit is then
 * read through the event views the handlers get ({@link RoomEvent}, {@link EphemeralEvent}): no accessor throws.
 * {@link #valueBudget}: the count of values ({@code appservice.max_transaction_values}) changes nothing but where a
 * body is refused.
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
                    TransactionException.INVALID_PARAM, TransactionException.TOO_LARGE);
            assertThat(e.status() == 413).isEqualTo(e.limit() == MAX_TRANSACTION_VALUES);
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

    /**
     * Any bytes under a budget of 0 to 255 values (and any {@code max_item_values} of 1 to 64, the same for both): a
     * body whose tree never holds more values than the budget decodes (or fails) exactly as without one; a body
     * holding more, even one that is broken further on, is refused for {@code max_transaction_values} at the first
     * value beyond the budget.
     */
    @FuzzTest(maxDuration = "60s")
    void valueBudget(FuzzedDataProvider data) {
        int budget = data.consumeInt(0, 255);
        int itemBudget = data.consumeInt(1, 64);
        Buffer body = Buffer.buffer(data.consumeRemainingAsBytes());
        TransactionJson unlimited = new TransactionJson(64, 100_000, 100, itemBudget, Integer.MAX_VALUE);
        TransactionJson limited = new TransactionJson(64, 100_000, 100, itemBudget, budget);
        Object whole = decode(unlimited, body);
        Object cut = decode(limited, body);
        if (unlimited.values() > budget) {
            assertThat(cut).isInstanceOfSatisfying(TransactionJson.Refused.class,
                    e -> assertThat(e.limit()).isEqualTo(MAX_TRANSACTION_VALUES));
            assertThat(limited.values()).isEqualTo(budget + 1);
        } else {
            assertThat(limited.values()).isEqualTo(unlimited.values());
            assertThat(describe(cut)).isEqualTo(describe(whole));
        }
    }

    /** The decoded value, or what the decoder threw (what {@link TransactionParser} catches). */
    private static Object decode(TransactionJson json, Buffer body) {
        try {
            return json.decode(body);
        } catch (DecodeException | IllegalArgumentException | IllegalStateException e) {
            return e;
        }
    }

    private static String describe(Object result) {
        return result instanceof RuntimeException e ? e.getClass().getName() + ": " + e.getMessage()
                : Json.encode(result);
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
