package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import static org.conclave.appservice.txn.TransactionLimit.MAX_EVENT_DEPTH;
import static org.conclave.appservice.txn.TransactionLimit.MAX_NUMBER_CHARS;
import static org.conclave.appservice.txn.TransactionLimit.MAX_TRANSACTION_DEPTH;
import static org.conclave.appservice.txn.TransactionLimit.MAX_TRANSACTION_VALUES;

import org.conclave.appservice.config.AppserviceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Transaction bodies: what Vert.x would decode, except that a hostile item is left out instead of failing all. */
class TransactionJsonTest {
    private static final String EVENT = "{\"event_id\":\"$%s\",\"room_id\":\"!r:hs\",\"type\":\"m.room.message\","
            + "\"sender\":\"@u:hs\",\"content\":%s}";

    private static String event(String id, String content) {
        return EVENT.formatted(id, content);
    }

    private static Transaction parse(String... events) throws TransactionException {
        return TransactionParser.parse("t", Buffer.buffer("{\"events\":[" + String.join(",", events) + "]}"));
    }

    /** The defaults but for the three limits the decoder applies. */
    private static AppserviceLimits limits(int eventDepth, int transactionDepth, int numberChars) {
        AppserviceLimits d = AppserviceLimits.DEFAULTS;
        return new AppserviceLimits(d.maxTransactionKib(), eventDepth, transactionDepth, numberChars,
                d.maxItemValues(), d.maxTransactionValues(), d.transactionAckWaitMs(), d.homeserverConnections());
    }

    /** The defaults but for max_item_values and max_transaction_values. */
    static AppserviceLimits values(int maxItemValues, int maxValues) {
        AppserviceLimits d = AppserviceLimits.DEFAULTS;
        return new AppserviceLimits(d.maxTransactionKib(), d.maxEventDepth(), d.maxTransactionDepth(),
                d.maxNumberChars(), maxItemValues, maxValues, d.transactionAckWaitMs(), d.homeserverConnections());
    }

    /** The default limits but max_transaction_values, unvalidated (smaller than an operator may set it). */
    private static TransactionJson json(int maxValues) {
        return json(AppserviceLimits.DEFAULT_MAX_ITEM_VALUES, maxValues);
    }

    /** The default limits but max_item_values and max_transaction_values, unvalidated. */
    private static TransactionJson json(int maxItemValues, int maxValues) {
        AppserviceLimits d = AppserviceLimits.DEFAULTS;
        return new TransactionJson(d.maxEventDepth(), d.maxTransactionDepth(), d.maxNumberChars(), maxItemValues,
                maxValues);
    }

    /** Ordinary JSON decodes exactly as Vert.x decodes it (so fingerprints of earlier journals stay the same). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":-9223372036854775808,\"c\":123456789012345678901234567890,\"d\":1.5e300,\"e\":0.1}",
        "{\"s\":\"\\u00e9\\ud83d\\ude00\\n\",\"t\":true,\"f\":false,\"n\":null,\"l\":[1,[2,[3,{}]],\"x\"]}",
        "{\"dup\":1,\"dup\":2}",
        "[{\"events\":[]}]",
        "\"just a string\"",
    })
    void ordinaryJsonDecodesAsVertxDecodesIt(String json) {
        Object ours = new TransactionJson(AppserviceLimits.DEFAULTS).decode(Buffer.buffer(json));
        Object vertx = Json.decodeValue(Buffer.buffer(json));
        assertThat(Json.encode(ours)).isEqualTo(Json.encode(vertx));
    }

    /** Contents that leave their event out, and the limit counted for it (the first one the event broke). */
    static Stream<Arguments> hostileContents() {
        return Stream.of(
                Arguments.of("{\"a\":" + "[".repeat(61) + "]".repeat(61) + "}", MAX_EVENT_DEPTH), // 65 levels
                Arguments.of("{\"a\":" + "{\"b\":".repeat(3000) + "1" + "}".repeat(3000) + "}",
                        MAX_EVENT_DEPTH), // past Jackson's default 1000
                Arguments.of("{\"n\":1" + "0".repeat(100) + "}", MAX_NUMBER_CHARS), // 101 characters
                Arguments.of("{\"n\":[1.2e" + "3".repeat(200) + "]}", MAX_NUMBER_CHARS),
                Arguments.of("{\"n\":1" + "0".repeat(100) + ",\"a\":" + "[".repeat(70) + "]".repeat(70) + "}",
                        MAX_NUMBER_CHARS));
    }

    @ParameterizedTest
    @MethodSource("hostileContents")
    void aHostileEventIsLeftOutAndItsNeighboursKept(String content, TransactionLimit limit) throws Exception {
        Transaction t = parse(event("a", "{}"), event("bad", content), event("b", "{\"ok\":1}"), "\"unusable\"");

        assertThat(t.units()).extracting(Unit::key).containsExactly("e:$a", "e:$b");
        assertThat(t.skipped()).isEqualTo(2);
        assertThat(t.skipped(limit)).isEqualTo(1);
        assertThat(t.skipped(null)).as("left out as unusable otherwise").isEqualTo(1);
    }

    @Test
    void aStringThatReadsLikeTheMarkerIsNotCountedAsBeyondALimit() throws Exception {
        String marker = "(left out: nested deeper than appservice.max_event_depth)";
        Transaction t = parse(event("a", "{}"), "\"" + marker + "\"");

        assertThat(t.skipped()).isEqualTo(1);
        assertThat(t.skipped(MAX_EVENT_DEPTH)).isZero();
    }

    @Test
    void theConfiguredNumberLengthIsTheLimit() throws Exception {
        String body = "{\"events\":[" + event("n25", "{\"n\":1" + "0".repeat(24) + "}") + ","
                + event("n26", "{\"n\":-1" + "0".repeat(24) + "}") + "]}";

        Transaction t = TransactionParser.parse("t", Buffer.buffer(body), limits(64, 100_000, 25));

        assertThat(t.units()).extracting(Unit::key).containsExactly("e:$n25");
        assertThat(t.skipped(MAX_NUMBER_CHARS)).isEqualTo(1);
        assertThat(TransactionParser.parse("t", Buffer.buffer(body), limits(64, 100_000, 26)).units()).hasSize(2);
    }

    @Test
    void nestingUpToTheLimitIsKept() throws Exception {
        // 3 levels (body, list, event) + content + 60 = 64.
        String content = "{\"a\":" + "[".repeat(59) + "]".repeat(59) + "}";
        Transaction t = parse(event("fits", content));
        assertThat(t.units()).extracting(Unit::key).containsExactly("e:$fits");
    }

    @Test
    void theConfiguredDepthIsTheLimit() throws Exception {
        String content = "{\"a\":" + "[".repeat(10) + "]".repeat(10) + "}"; // 3 + 1 + 10 = 14 levels
        String body = "{\"events\":[" + event("deep", content) + "," + event("flat", "{}") + "]}";
        assertThat(TransactionParser.parse("t", Buffer.buffer(body), limits(14, 100_000, 100)).units()).hasSize(2);
        Transaction t = TransactionParser.parse("t", Buffer.buffer(body), limits(13, 100_000, 100));
        assertThat(t.units()).extracting(Unit::key).containsExactly("e:$flat");
        assertThat(t.skipped(MAX_EVENT_DEPTH)).isEqualTo(1);
    }

    @Test
    void limitsJacksonWouldApplyToTheWholeBodyAreLiftedToTheBodyLimit() throws Exception {
        String longKey = "k".repeat(60_000); // Jackson refuses names over 50000 characters by default
        String longString = "v".repeat(21_000_000); // and strings over 20 M characters
        Transaction t = parse(event("key", "{\"" + longKey + "\":1}"), event("str", "{\"v\":\"" + longString + "\"}"));
        assertThat(t.units()).extracting(Unit::key).containsExactly("e:$key", "e:$str");
    }

    @Test
    void aDeepValueOutsideTheListsIsReplacedNotFatal() throws Exception {
        Transaction t = TransactionParser.parse("t", Buffer.buffer("{\"events\":[" + event("a", "{}")
                + "],\"x\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"y\":1" + "2".repeat(500) + "}"));
        assertThat(t.units()).hasSize(1);
    }

    /** body | why it is not one JSON value */
    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"events\":[]} {}", "{\"events\":[]}]", "nul", "{\"a\":[1,]}"})
    void brokenBodiesAreNotJson(String body) {
        assertThatThrownBy(() -> new TransactionJson(AppserviceLimits.DEFAULTS).decode(Buffer.buffer(body)))
                .isInstanceOf(DecodeException.class).isNotInstanceOf(TransactionJson.Refused.class);
    }

    /** levels of the body (the body's object is 1) | configured max_transaction_depth | refused. */
    @ParameterizedTest(name = "{0} levels, limit {1} -> refused {2}")
    @CsvSource({"1000, 1000, false", "1001, 1000, true", "100000, 100000, false", "100001, 100000, true",
        "5000, 100000, false"})
    void nestingBeyondTheConfiguredTransactionDepthRefusesTheBodyNamingTheKey(int levels, int limit, boolean refused)
            throws Exception {
        // The body, the events list, then levels - 2 lists in an item: the item is left out unless the body is refused.
        String body = "{\"events\":[" + event("a", "{}") + "," + "[".repeat(levels - 2) + "]".repeat(levels - 2)
                + "]}";
        AppserviceLimits limits = limits(64, limit, 100);

        if (refused) {
            assertThatThrownBy(() -> TransactionParser.parse("t", Buffer.buffer(body), limits))
                    .isInstanceOfSatisfying(TransactionException.class, e -> {
                        assertThat(e.errcode()).isEqualTo("M_BAD_JSON");
                        assertThat(e.limit()).isEqualTo(MAX_TRANSACTION_DEPTH);
                    })
                    .hasMessage("the body is nested deeper than appservice.max_transaction_depth (" + limit
                            + " levels); this transaction is refused whole");
        } else {
            Transaction t = TransactionParser.parse("t", Buffer.buffer(body), limits);
            assertThat(t.units()).extracting(Unit::key).containsExactly("e:$a");
            assertThat(t.skipped(MAX_EVENT_DEPTH)).isEqualTo(1);
        }
    }

    /**
     * body | the values in it: every object, list, string, number, true, false and null; a name is not a value, and a
     * string is one however long.
     */
    static Stream<Arguments> valueCounts() {
        return Stream.of(
                Arguments.of("{}", 1),
                Arguments.of("{\"events\":[]}", 2),
                Arguments.of("{\"events\":[{},{},{}]}", 5),
                Arguments.of("[[[[[]]]]]", 5),
                Arguments.of("{\"a\":{\"b\":{\"c\":{}}}}", 4),
                Arguments.of("[1,-2,3.5,4e10,0]", 6),
                Arguments.of("[true,false,null]", 4),
                Arguments.of("{\"s\":\"" + "x".repeat(100_000) + "\"}", 2),
                Arguments.of("{\"" + "k".repeat(10_000) + "\":\"\\u00e9\\n\"}", 2),
                // An item left out for its number is not read further: the number is its last value built.
                Arguments.of("{\"events\":[{\"n\":1" + "0".repeat(200) + ",\"m\":[1,2]}]}", 4),
                // Levels 3 to 64 are read, the list at level 65 is skipped unread: it counts as one, its content not.
                Arguments.of("{\"events\":[" + "[".repeat(70) + "]".repeat(70) + "]}", 65));
    }

    @ParameterizedTest(name = "{0} -> {1} values")
    @MethodSource("valueCounts")
    void aBodyIsRefusedAtTheFirstValueBeyondTheLimitNamingTheKey(String body, int values) {
        TransactionJson atTheLimit = json(values);
        atTheLimit.decode(Buffer.buffer(body));
        assertThat(atTheLimit.values()).isEqualTo(values);

        TransactionJson below = json(values - 1);
        assertThatThrownBy(() -> below.decode(Buffer.buffer(body)))
                .isInstanceOfSatisfying(TransactionJson.Refused.class,
                        e -> assertThat(e.limit()).isEqualTo(MAX_TRANSACTION_VALUES))
                .hasMessage("the body holds more JSON values than appservice.max_transaction_values (" + (values - 1)
                        + ")");
        assertThat(below.values()).isEqualTo(values);
    }

    @Test
    void aHugeBodyIsRefusedAtTheFirstValueTooManyNotReadToItsEnd() {
        Buffer body = Buffer.buffer("{\"events\":[{}" + ",{}".repeat(1_000_000) + "]}");
        TransactionJson json = json(1_000);

        assertThatThrownBy(() -> json.decode(body)).isInstanceOf(TransactionJson.Refused.class);
        assertThat(json.values()).as("values read, so built at most").isEqualTo(1_001);
    }

    @Test
    void theConfiguredValueCountIsTheLimitAndItsRefusalIs413() throws Exception {
        // The body, the list, the event and its 4 strings, its content: 8 values, + 30,993 numbers (items, each one
        // value, left out as not objects) = 31,001, the least max_transaction_values allows with max_item_values 100.
        String atTheLimit = "{\"events\":[" + event("a", "{}") + ",0".repeat(30_993) + "]}";
        String over = "{\"events\":[" + event("a", "{}") + ",0".repeat(30_994) + "]}";

        assertThat(TransactionParser.parse("t", Buffer.buffer(atTheLimit), values(100, 31_001)).units()).hasSize(1);
        assertThatThrownBy(() -> TransactionParser.parse("t", Buffer.buffer(over), values(100, 31_001)))
                .isInstanceOfSatisfying(TransactionException.class, e -> {
                    assertThat(e.errcode()).isEqualTo("M_TOO_LARGE");
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.limit()).isEqualTo(MAX_TRANSACTION_VALUES);
                })
                .hasMessage("the body holds more JSON values than appservice.max_transaction_values (31001); this"
                        + " transaction is refused whole");
    }

    /**
     * an event's content | its values (the event, its 4 strings, its content and what is in it) with
     * max_item_values 100: at 100 the event is kept, beyond it is left out, its neighbours processed.
     */
    static Stream<Arguments> itemValueCounts() {
        return Stream.of(
                Arguments.of("{}", 6),
                Arguments.of("{\"l\":[" + zeros(93) + "]}", 100),
                Arguments.of("{\"l\":[" + zeros(94) + "]}", 101),
                Arguments.of("{\"l\":[" + zeros(5_000) + "]}", 5_007),
                Arguments.of("{\"a\":{\"b\":{\"c\":[" + zeros(91) + "]}}}", 100),
                Arguments.of("{\"a\":{\"b\":{\"c\":[" + zeros(92) + "]}},\"d\":[[[]]]}", 104),
                Arguments.of("{\"s\":\"" + "x".repeat(100_000) + "\"}", 7));
    }

    private static String zeros(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "0"));
    }

    @ParameterizedTest(name = "{1} values")
    @MethodSource("itemValueCounts")
    void anItemBeyondMaxItemValuesIsLeftOutAndCounted(String content, int values) throws Exception {
        String body = "{\"events\":[" + event("before", "{}") + "," + event("x", content) + ","
                + event("after", "{}") + "]}";

        Transaction t = TransactionParser.parse("t", Buffer.buffer(body), values(100, 31_001));

        if (values <= 100) {
            assertThat(t.units()).extracting(Unit::key).containsExactly("e:$before", "e:$x", "e:$after");
            assertThat(t.skipped()).isZero();
        } else {
            assertThat(t.units()).extracting(Unit::key).containsExactly("e:$before", "e:$after");
            assertThat(t.skipped(TransactionLimit.MAX_ITEM_VALUES)).isEqualTo(1);
            assertThat(t.skipped()).isEqualTo(1);
        }
    }

    @Test
    void aLeftOutItemIsDroppedAtItsFirstValueTooManyAndCountsAsOneValue() {
        // 30 items of 51 values: 1,532 if built whole; each is dropped at its 11th value and then counts as one, so
        // the tree holds at most the body, the list, 29 left-out items and 11 values of the last: 42.
        String item = "[" + zeros(50) + "]";
        TransactionJson json = json(10, 1_000);

        Object decoded = json.decode(Buffer.buffer("{\"events\":[" + String.join(",",
                java.util.Collections.nCopies(30, item)) + "]}"));

        assertThat(json.values()).isEqualTo(42);
        assertThat(((io.vertx.core.json.JsonObject) decoded).getJsonArray("events").getList()).hasSize(30)
                .allSatisfy(i -> assertThat(TransactionJson.leftOut(i)).isEqualTo(TransactionLimit.MAX_ITEM_VALUES));
    }

    /**
     * One user's dense but legal events (an event of [0,0,...] holds ~31 K values in 64 KiB) batched into one
     * transaction: 149 of them exceed max_transaction_values, which refused the whole transaction, retried by the
     * homeserver for ever. Now each is left out alone, and the transaction's other items are processed.
     */
    @Test
    void denseLegalItemsAreLeftOutAloneTheirTransactionIsAccepted() throws Exception {
        String dense = "{\"l\":[" + zeros(31_000) + "]}"; // 62,007 bytes of content: a legal event
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 99; i++) events.append(event("dense" + i, dense)).append(',');
        events.append("{\"event_id\":\"$call\",\"room_id\":\"!r:hs\",\"type\":\"org.matrix.msc3401.call.member\","
                + "\"sender\":\"@u:hs\",\"state_key\":\"_@u:hs_D\",\"content\":{\"application\":\"m.call\"}}");
        String toDevice = "{\"type\":\"m.room.encrypted\",\"sender\":\"@u:hs\",\"to_user_id\":\"@c:hs\","
                + "\"to_device_id\":\"D\",\"content\":%s}";
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 50; i++) messages.append(toDevice.formatted(dense)).append(',');
        messages.append(toDevice.formatted("{\"algorithm\":\"m.olm.v1.curve25519-aes-sha2\"}"));
        Buffer body = Buffer.buffer("{\"events\":[" + events + "],\"de.sorunome.msc2409.to_device\":[" + messages
                + "]}");

        Transaction t = TransactionParser.parse("t", body, AppserviceLimits.DEFAULTS);

        assertThat(t.units()).extracting(Unit::kind).containsExactly(Unit.Kind.ROOM_EVENT, Unit.Kind.TO_DEVICE);
        assertThat(t.units().get(0).key()).isEqualTo("e:$call");
        assertThat(t.skipped(TransactionLimit.MAX_ITEM_VALUES)).isEqualTo(149);
        // Without the item budget, the same body is refused whole: the wedge this fixes.
        TransactionJson noItemBudget = json(Integer.MAX_VALUE, AppserviceLimits.DEFAULT_MAX_TRANSACTION_VALUES);
        assertThatThrownBy(() -> noItemBudget.decode(body)).isInstanceOfSatisfying(TransactionJson.Refused.class,
                e -> assertThat(e.limit()).isEqualTo(MAX_TRANSACTION_VALUES));
    }
}
