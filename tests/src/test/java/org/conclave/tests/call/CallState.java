package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

/** The call state the bot publishes in a conference room (docs/protocol.md, "Conference state"). */
final class CallState {
    private CallState() {}

    /** The bot's first {@code org.conclave.call} event in the room, checked to announce a running call. */
    static JsonObject awaitStarted(CallRig rig, String room) throws InterruptedException {
        JsonObject event = rig.awaitBotEvent(room, CallContent.CALL_STATE, e -> true);
        assertThat(event.getString("state_key")).as("a call id per conference session").isNotBlank();
        JsonObject content = event.getJsonObject("content");
        // Nothing matrix-js-sdk would read as an MSC3401 group call.
        assertThat(content.containsKey("m.intent") || content.containsKey("m.type")).as("%s", content).isFalse();
        assertThat(content.getString("m.name")).isNotBlank();
        JsonObject focus = content.getJsonObject("m.focus");
        assertThat(focus.getString("user_id")).isEqualTo(rig.bot());
        assertThat(focus.getString("device_id")).isEqualTo(CallRig.BOT_DEVICE);
        assertThat(focus.getString("session_id")).isNotBlank();
        assertThat(content.containsKey("m.terminated")).as("terminated at start: %s", content).isFalse();
        return event;
    }

    /** The current content of the state event {@code started} began. */
    static JsonObject current(CallRig rig, String room, JsonObject started) {
        return rig.hs.state(room, CallContent.CALL_STATE, started.getString("state_key")).getJsonObject("content");
    }

    /** Waits for the same state key to be marked {@code m.terminated: call_ended}, the rest unchanged. */
    static JsonObject awaitTerminated(CallRig rig, String room, JsonObject started) throws InterruptedException {
        String key = started.getString("state_key");
        JsonObject event = rig.awaitBotEvent(room, CallContent.CALL_STATE,
                e -> key.equals(e.getString("state_key"))
                        && e.getJsonObject("content").containsKey("m.terminated"));
        JsonObject content = event.getJsonObject("content");
        assertThat(content.getString("m.terminated")).isEqualTo("call_ended");
        JsonObject rest = content.copy();
        rest.remove("m.terminated");
        assertThat(rest).isEqualTo(started.getJsonObject("content"));
        return event;
    }
}
