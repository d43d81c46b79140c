package org.conclave.sfu.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PingResponderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"type\":\"m.call.ping\",\"content\":{\"n\":1,\"s\":\"é\",\"a\":[1,{\"b\":null}]}}` | `{\"type\":\"m.call.pong\",\"content\":{\"n\":1,\"s\":\"é\",\"a\":[1,{\"b\":null}]}}`",
        "`{\"type\":\"m.call.ping\"}` | `{\"type\":\"m.call.pong\",\"content\":{}}`",
        "`{\"content\":{},\"type\":\"m.call.ping\",\"extra\":7}` | `{\"type\":\"m.call.pong\",\"content\":{}}`",
        "`not json` | `{\"type\":\"org.conclave.error\",\"content\":{\"errcode\":\"M_NOT_JSON\",\"error\":\"the message is not JSON\"}}`",
        "`{\"type\":` | `{\"type\":\"org.conclave.error\",\"content\":{\"errcode\":\"M_NOT_JSON\",\"error\":\"the message is not JSON\"}}`",
        "`` | `{\"type\":\"org.conclave.error\",\"content\":{\"errcode\":\"M_BAD_JSON\",\"error\":\"the message is not a JSON object\"}}`",
        "`[1,2]` | `{\"type\":\"org.conclave.error\",\"content\":{\"errcode\":\"M_BAD_JSON\",\"error\":\"the message is not a JSON object\"}}`",
        "`{\"type\":5}` | `{\"type\":\"org.conclave.error\",\"content\":{\"errcode\":\"M_BAD_JSON\",\"error\":\"the message has no string \\\"type\\\"\"}}`",
        "`{\"type\":\"m.call.ping\",\"content\":[]}` | `{\"type\":\"org.conclave.error\",\"content\":{\"errcode\":\"M_BAD_JSON\",\"error\":\"\\\"content\\\" must be an object\"}}`",
        "`{\"type\":\"m.call.hangup\"}` | `{\"type\":\"org.conclave.error\",\"content\":{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"unknown message type m.call.hangup\"}}`",
    })
    void replies(String message, String reply) {
        assertThat(PingResponder.reply(message)).isEqualTo(reply);
    }

    @ParameterizedTest
    @CsvSource({"65", "100000"})
    void deepNestingIsRefusedAsNotJson(int depth) {
        String deep = "{\"type\":\"m.call.ping\",\"content\":{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}}";
        assertThat(PingResponder.reply(deep)).contains("M_NOT_JSON");
    }

    @ParameterizedTest
    @CsvSource({"101", "5000"})
    void longUnknownTypesAreShortenedInTheError(int length) throws Exception {
        String reply = PingResponder.reply("{\"type\":\"" + "t".repeat(length) + "\"}");
        assertThat(JSON.readTree(reply).at("/content/error").asText())
                .hasSize("unknown message type ".length() + PingResponder.MAX_ECHOED_TYPE_CHARS + 3);
    }

    /** Any text gets exactly one reply: a pong echoing the content, or an error with a known code. */
    @FuzzTest
    void anyTextGetsAWellFormedReply(byte[] data) throws Exception {
        String text = new String(data, StandardCharsets.UTF_8);
        JsonNode reply = JSON.readTree(PingResponder.reply(text));
        String type = reply.get("type").asText();
        if (type.equals(PingResponder.PONG)) {
            assertThat(reply.get("content").isObject()).isTrue();
            JsonNode content = JSON.readTree(text).get("content");
            if (content != null) assertThat(reply.get("content")).isEqualTo(content);
        } else {
            assertThat(type).isEqualTo(PingResponder.ERROR);
            assertThat(reply.at("/content/errcode").asText()).isIn(Set.of(PingResponder.NOT_JSON,
                    PingResponder.BAD_JSON, PingResponder.UNRECOGNIZED));
        }
    }
}
