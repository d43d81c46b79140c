package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** The parser throws nothing but {@link ControlMessageException}, and what it accepts is within the limits. */
class ControlMessagesFuzzTest {
    private static final RoomOptions OPTIONS = RoomOptions.DEFAULTS;
    private static final ControlMessages PARSER = new ControlMessages(OPTIONS);

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        String json = new String(data, StandardCharsets.UTF_8);
        ControlMessage m;
        try {
            m = PARSER.parse(json);
        } catch (ControlMessageException e) {
            assertThat(e.errcode()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(m.type()).isNotBlank();
        if (m.requestId() != null) assertThat(m.requestId().length()).isLessThanOrEqualTo(OPTIONS.maxIdLength());
        if (m instanceof ControlMessage.TrackSubscription s) {
            assertThat(s.subscribe().size()).isLessThanOrEqualTo(OPTIONS.maxListItems());
            for (ControlMessage.Subscribe sub : s.subscribe()) {
                assertThat(sub.width()).isBetween(0, ControlMessages.MAX_DIMENSION);
                assertThat(sub.height()).isBetween(0, ControlMessages.MAX_DIMENSION);
                assertThat(sub.streamId()).isNotEmpty();
            }
        }
        if (m instanceof ControlMessage.RosterFilterMessage f) {
            assertThat(f.name().length()).isLessThanOrEqualTo(OPTIONS.maxNameFilterLength());
        }
        if (m instanceof ControlMessage.Negotiate n) assertThat(n.descriptionType()).isIn("offer", "answer");
    }
}
