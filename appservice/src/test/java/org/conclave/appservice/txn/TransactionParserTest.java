package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionParserTest {
    private static final String EVENT = "{\"event_id\":\"$a\",\"room_id\":\"!r:hs\",\"type\":\"m.room.message\","
            + "\"sender\":\"@u:hs\",\"content\":{\"body\":\"hi\"}}";

    private static final String TOO_DEEP = "the body is nested deeper than appservice.max_transaction_depth"
            + " (100000 levels); this transaction is refused whole";

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("", "M_NOT_JSON", "missing request body"),
                Arguments.of("not json", "M_NOT_JSON", "body is not valid JSON"),
                Arguments.of("   ", "M_NOT_JSON", "body is not valid JSON"),
                Arguments.of("{\"events\":" + "[".repeat(99_999), "M_NOT_JSON", "body is not valid JSON"),
                // An event nested 5000 deep is only left out (TransactionJsonTest); beyond
                // appservice.max_transaction_depth (100,000 levels by default), the body is refused, naming the key.
                Arguments.of("{\"events\":" + "[".repeat(100_000), "M_BAD_JSON", TOO_DEEP),
                Arguments.of("{\"events\":[" + "[".repeat(100_000) + "]".repeat(100_000) + "]}", "M_BAD_JSON",
                        TOO_DEEP),
                Arguments.of("\u00ff\u00fe", "M_NOT_JSON", "body is not valid JSON"),
                Arguments.of("{\"events\": [", "M_NOT_JSON", "body is not valid JSON"),
                Arguments.of("{\"events\": []} trailing", "M_NOT_JSON", "body is not valid JSON"),
                Arguments.of("[]", "M_BAD_JSON", "body must be a JSON object"),
                Arguments.of("1", "M_BAD_JSON", "body must be a JSON object"),
                Arguments.of("\"events\"", "M_BAD_JSON", "body must be a JSON object"),
                Arguments.of("null", "M_BAD_JSON", "body must be a JSON object"),
                Arguments.of("{}", "M_BAD_JSON", "events must be a list"),
                Arguments.of("{\"events\": {}}", "M_BAD_JSON", "events must be a list"),
                Arguments.of("{\"events\": null}", "M_BAD_JSON", "events must be a list"),
                Arguments.of("{\"events\": [], \"ephemeral\": 5}", "M_BAD_JSON", "ephemeral must be a list"),
                Arguments.of("{\"events\": [], \"de.sorunome.msc2409.ephemeral\": {}}", "M_BAD_JSON",
                        "de.sorunome.msc2409.ephemeral must be a list"),
                Arguments.of("{\"events\": [], \"de.sorunome.msc2409.to_device\": \"x\"}", "M_BAD_JSON",
                        "de.sorunome.msc2409.to_device must be a list"),
                Arguments.of("{\"events\": [], \"org.matrix.msc3202.device_lists\": []}", "M_BAD_JSON",
                        "org.matrix.msc3202.device_lists must be an object"),
                Arguments.of("{\"events\": [], \"org.matrix.msc3202.device_one_time_keys_count\": 1}", "M_BAD_JSON",
                        "org.matrix.msc3202.device_one_time_keys_count must be an object"));
    }

    @ParameterizedTest(name = "[{index}] -> {1}")
    @MethodSource("rejected")
    void unusableBodiesAreRejected(String body, String errcode, String message) {
        assertThatThrownBy(() -> TransactionParser.parse("1", Buffer.buffer(body)))
                .isInstanceOfSatisfying(TransactionException.class, e -> assertThat(e.errcode()).isEqualTo(errcode))
                .hasMessage(message);
    }

    @Test
    void transactionIdMustBeReasonable() {
        assertThatThrownBy(() -> TransactionParser.parse("", Buffer.buffer("{\"events\":[]}")))
                .isInstanceOfSatisfying(TransactionException.class,
                        e -> assertThat(e.errcode()).isEqualTo("M_INVALID_PARAM"));
        assertThatThrownBy(() -> TransactionParser.parse("1".repeat(1025), Buffer.buffer("{\"events\":[]}")))
                .isInstanceOf(TransactionException.class);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("{\"events\": []}", "", 0),
                Arguments.of("{\"events\": [" + EVENT + "]}", "ROOM_EVENT e:$a @!r:hs", 0),
                Arguments.of("{\"events\": [" + EVENT + "," + EVENT + "]}", "ROOM_EVENT e:$a @!r:hs", 1),
                Arguments.of("{\"events\": [1, \"x\", null, [], {}]}", "", 5),
                Arguments.of("{\"events\": [" + EVENT.replace("\"sender\":\"@u:hs\",", "") + "]}", "", 1),
                Arguments.of("{\"events\": [" + EVENT.replace("\"$a\"", "\"\"") + "]}", "", 1),
                Arguments.of("{\"events\": [" + EVENT.replace("\"$a\"", "7") + "]}", "", 1),
                // Event ids of the spec's 255 bytes at most (a journal key each); in bytes, not characters.
                Arguments.of("{\"events\": [" + EVENT.replace("$a", "$" + "a".repeat(254)) + "]}",
                        "ROOM_EVENT e:$" + "a".repeat(254) + " @!r:hs", 0),
                Arguments.of("{\"events\": [" + EVENT.replace("$a", "$" + "a".repeat(255)) + "]}", "", 1),
                Arguments.of("{\"events\": [" + EVENT.replace("$a", "$" + "\u00e9".repeat(128)) + "]}", "", 1),
                Arguments.of("{\"events\": [" + EVENT.replace("$a", "$" + "a".repeat(20_000)) + "]}", "", 1),
                Arguments.of("{\"events\": [" + EVENT.replace("{\"body\":\"hi\"}", "[]") + "]}", "", 1),
                Arguments.of("{\"events\": [" + EVENT.replace(",\"content\":{\"body\":\"hi\"}", "") + "]}",
                        "ROOM_EVENT e:$a @!r:hs", 0),
                Arguments.of("{\"events\": [" + EVENT.replace("}}", "},\"state_key\":5}") + "]}", "", 1),
                Arguments.of("{\"events\": [" + EVENT.replace("}}", "},\"state_key\":\"\"}") + "]}",
                        "ROOM_EVENT e:$a @!r:hs", 0),
                Arguments.of("{\"events\": [], \"ephemeral\": [{\"type\":\"m.typing\",\"room_id\":\"!r:hs\"},"
                        + "{\"type\":\"m.presence\",\"sender\":\"@u:hs\"}, {\"no\":\"type\"}]}",
                        "EPHEMERAL x @!r:hs|EPHEMERAL x @", 1),
                Arguments.of("{\"events\": [], \"de.sorunome.msc2409.ephemeral\": [{\"type\":\"m.receipt\"}]}",
                        "EPHEMERAL x @", 0),
                // Both names: the stable one wins, the unstable copy is not processed twice.
                Arguments.of("{\"events\": [], \"ephemeral\": [{\"type\":\"m.typing\"}],"
                        + " \"de.sorunome.msc2409.ephemeral\": [{\"type\":\"m.typing\"},{\"type\":\"m.typing\"}]}",
                        "EPHEMERAL x @", 0),
                Arguments.of("{\"events\": [], \"de.sorunome.msc2409.to_device\": [{\"type\":\"m.x\","
                        + "\"sender\":\"@u:hs\",\"to_user_id\":\"@conclave:hs\",\"to_device_id\":\"D\","
                        + "\"content\":{}}, {\"type\":\"m.x\",\"to_user_id\":\"@c:hs\"}]}",
                        "TO_DEVICE x @to-device @u:hs", 1),
                Arguments.of("{\"events\": [], \"org.matrix.msc3202.device_lists\": {\"changed\": []},"
                        + " \"org.matrix.msc3202.device_one_time_keys_count\": {},"
                        + " \"org.matrix.msc3202.device_unused_fallback_key_types\": {}}", "", 0),
                Arguments.of("{\"events\": [], \"ephemeral\": null}", "", 0),
                Arguments.of("{\"events\": [], \"unknown\": 1}", "", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void usableBodiesGiveTheirUnitsInOrder(String body, String expected, int skipped) throws Exception {
        Transaction txn = TransactionParser.parse("7", Buffer.buffer(body));

        String units = String.join("|", txn.units().stream().map(u -> u.kind() + " "
                + (u.key().startsWith("x:") ? "x" : u.key()) + " @" + u.queue()).toList());
        assertThat(units).isEqualTo(expected);
        assertThat(txn.skipped()).isEqualTo(skipped);
        assertThat(txn.txnId()).isEqualTo("7");
        assertThat(txn.fingerprint()).matches("[0-9a-f]{32}");
    }

    @Test
    void fingerprintIgnoresUnsignedButNotTheTransactionIdOrTheItems() throws Exception {
        JsonObject event = new JsonObject(EVENT).put("unsigned", new JsonObject().put("age", 10));
        JsonObject edu = new JsonObject().put("type", "m.typing").put("unsigned", new JsonObject().put("age", 1));
        JsonObject body = new JsonObject().put("events", new JsonArray().add(event))
                .put("ephemeral", new JsonArray().add(edu));
        JsonObject retried = body.copy();
        retried.getJsonArray("events").getJsonObject(0).getJsonObject("unsigned").put("age", 5000);
        retried.getJsonArray("ephemeral").getJsonObject(0).getJsonObject("unsigned").put("age", 6000);

        String first = fingerprint("1", body);

        assertThat(fingerprint("1", retried)).isEqualTo(first);
        assertThat(fingerprint("2", body)).isNotEqualTo(first);
        JsonObject otherEdu = body.copy();
        otherEdu.getJsonArray("ephemeral").getJsonObject(0).put("room_id", "!x:hs");
        assertThat(fingerprint("1", otherEdu)).isNotEqualTo(first);
        JsonObject otherEvent = body.copy();
        otherEvent.getJsonArray("events").getJsonObject(0).put("event_id", "$b");
        assertThat(fingerprint("1", otherEvent)).isNotEqualTo(first);
    }

    @Test
    void unitKeysOfEventsDoNotDependOnTheTransactionButThoseOfEdusDo() throws Exception {
        String body = "{\"events\": [" + EVENT + "], \"ephemeral\": [{\"type\":\"m.typing\"}]}";
        Transaction one = TransactionParser.parse("1", Buffer.buffer(body));
        Transaction two = TransactionParser.parse("2", Buffer.buffer(body));

        assertThat(one.units().get(0).key()).isEqualTo(two.units().get(0).key()).isEqualTo("e:$a");
        assertThat(one.units().get(1).key()).isNotEqualTo(two.units().get(1).key())
                .startsWith("x:" + one.fingerprint());
    }

    private static String fingerprint(String txnId, JsonObject body) throws TransactionException {
        return TransactionParser.parse(txnId, body.toBuffer()).fingerprint();
    }
}
