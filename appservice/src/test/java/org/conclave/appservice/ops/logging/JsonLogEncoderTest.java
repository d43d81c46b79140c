package org.conclave.appservice.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JsonLogEncoderTest {
    private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    private final JsonLogEncoder encoder = new JsonLogEncoder();

    @AfterEach
    void clear() {
        MDC.clear();
    }

    private JsonObject encode(String message, Object... args) {
        LoggingEvent event = new LoggingEvent(JsonLogEncoderTest.class.getName(), context.getLogger("test.Logger"),
                Level.INFO, message, null, args);
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("}\n").doesNotContain("\n{");
        return new JsonObject(line);
    }

    @Test
    void oneObjectPerLineWithTheBasicsAndEscaping() {
        JsonObject line = encode("quote \" backslash \\ newline \n tab \t ctrl \u0001 {}", "arg");

        assertThat(line.getString("level")).isEqualTo("INFO");
        assertThat(line.getString("logger")).isEqualTo("test.Logger");
        assertThat(line.getString("message")).isEqualTo("quote \" backslash \\ newline \n tab \t ctrl \u0001 arg");
        assertThat(line.getString("ts")).endsWith("Z");
        assertThat(line.getString("thread")).isNotBlank();
        assertThat(line.containsKey("conference_id")).isFalse();
    }

    @Test
    void mdcIdsComeThrough() {
        MDC.put(CallMdc.CALL_ID, "c1");
        MDC.put(CallMdc.CONFERENCE_ID, "!conf:example.org");

        JsonObject line = encode("answered call {}", "c1");

        assertThat(line.getString("call_id")).isEqualTo("c1");
        assertThat(line.getString("conference_id")).isEqualTo("!conf:example.org");
    }

    @Test
    void aLineNamingAKnownCallGetsItsConferenceWithoutMdc() {
        CallIds.rememberCall("call-42", "!room42:example.org");

        JsonObject line = encode("call {} of {} ended", "call-42", "@alice:example.org");

        assertThat(line.getString("call_id")).isEqualTo("call-42");
        assertThat(line.getString("conference_id")).isEqualTo("!room42:example.org");
    }
}
