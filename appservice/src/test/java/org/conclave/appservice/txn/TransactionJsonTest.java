package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import org.conclave.appservice.config.AppserviceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
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
        Object ours = TransactionJson.decode(Buffer.buffer(json), AppserviceLimits.DEFAULT_MAX_EVENT_DEPTH);
        Object vertx = Json.decodeValue(Buffer.buffer(json));
        assertThat(Json.encode(ours)).isEqualTo(Json.encode(vertx));
    }

    /** Contents that leave their event out. */
    static Stream<String> hostileContents() {
        return Stream.of(
                "{\"a\":" + "[".repeat(61) + "]".repeat(61) + "}", // 65 levels from the body
                "{\"a\":" + "{\"b\":".repeat(3000) + "1" + "}".repeat(3000) + "}", // past Jackson's default 1000
                "{\"n\":1" + "0".repeat(101) + "}", // a number longer than 100 characters
                "{\"n\":[1.2e" + "3".repeat(200) + "]}");
    }

    @ParameterizedTest
    @MethodSource("hostileContents")
    void aHostileEventIsLeftOutAndItsNeighboursKept(String content) throws Exception {
        Transaction t = parse(event("a", "{}"), event("bad", content), event("b", "{\"ok\":1}"));

        assertThat(t.units()).extracting(Unit::key).containsExactly("e:$a", "e:$b");
        assertThat(t.skipped()).isEqualTo(1);
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
        assertThat(TransactionParser.parse("t", Buffer.buffer(body), 14).units()).hasSize(2);
        Transaction t = TransactionParser.parse("t", Buffer.buffer(body), 13);
        assertThat(t.units()).extracting(Unit::key).containsExactly("e:$flat");
        assertThat(t.skipped()).isEqualTo(1);
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
        assertThatThrownBy(() -> TransactionJson.decode(Buffer.buffer(body), AppserviceLimits.DEFAULT_MAX_EVENT_DEPTH)).isInstanceOf(DecodeException.class);
    }

    @Test
    void nestingBeyondAnySpecSizedEventRefusesTheBody() {
        String body = "{\"events\":" + "[".repeat(TransactionJson.MAX_PARSER_DEPTH + 1)
                + "]".repeat(TransactionJson.MAX_PARSER_DEPTH + 1) + "}";
        assertThatThrownBy(() -> TransactionParser.parse("t", Buffer.buffer(body)))
                .isInstanceOf(TransactionException.class).hasMessageContaining("not valid JSON");
    }
}
