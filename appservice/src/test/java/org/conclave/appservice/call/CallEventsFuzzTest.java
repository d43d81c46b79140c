package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The call package's text readers ({@link CallContentFuzzTest} covers the contents of call events): a user id's server
 * name ({@link Participant#serverOf}), a call event's version and the candidates batch taken from an SDP answer
 * ({@link CallContent}). Nothing throws; the server name is everything after the first colon; the batch holds every candidate line
 * of the first m-section, in order, then end-of-candidates.
 */
class CallEventsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readers(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);

        String server = Participant.serverOf(text);
        if (text.indexOf(':') < 0) {
            assertThat(server).isNull();
        } else {
            assertThat(text.substring(0, text.indexOf(':') + 1) + server).isEqualTo(text);
        }

        Object version;
        try {
            version = Json.decodeValue(text);
        } catch (DecodeException notJson) {
            version = text;
        }
        if (CallContent.supportedVersion(version)) {
            assertThat(version).isInstanceOfAny(String.class, Number.class);
        }

        JsonArray batch = CallContent.candidates(text).getJsonArray("candidates");
        int section = -1;
        int i = 0;
        // As split("\r?\n"), without a regex (Jazzer hooks every node of every match: most of this target's time).
        for (String line : text.replace("\r\n", "\n").split("\n")) {
            if (line.startsWith("m=")) section++;
            if (section == 0 && line.startsWith("a=candidate:")) {
                assertThat(batch.getJsonObject(i++).getString("candidate")).isEqualTo(line.substring(2).trim());
            }
        }
        assertThat(batch.size()).isEqualTo(i + 1);
        JsonObject end = batch.getJsonObject(i);
        assertThat(end.getString("candidate")).isEmpty();
        assertThat(end.getInteger("sdpMLineIndex")).isZero();
    }

    /** Keeps the seeds meaningful: an SFU answer gives its first section's two candidates and the end marker. */
    @Test
    void seedsReachTheCandidates() throws Exception {
        try (var in = getClass().getResourceAsStream("CallEventsFuzzTestInputs/readers/sfu-answer")) {
            String sdp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonArray batch = CallContent.candidates(sdp).getJsonArray("candidates");
            assertThat(batch).hasSize(3);
            assertThat(batch.getJsonObject(0).getString("sdpMid")).isEqualTo("0");
        }
    }
}
