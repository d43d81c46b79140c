package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

/** The MSC3401 call state the bot publishes in a conference room (docs/protocol.md, "Conference state"). */
final class CallState {
    private CallState() {}

    /** The bot's first {@code org.matrix.msc3401.call} event in the room, checked to announce a running call. */
    static JsonObject awaitStarted(CallRig rig, String room) throws InterruptedException {
        JsonObject event = rig.awaitBotEvent(room, CallContent.CALL_STATE, e -> true);
        assertThat(event.getString("state_key")).as("a call id per conference session").isNotBlank();
        JsonObject content = event.getJsonObject("content");
        assertThat(content.getString("m.intent")).isEqualTo("m.room");
        assertThat(content.getString("m.type")).isEqualTo("m.video");
        assertThat(content.getString("m.name")).isNotBlank();
        assertThat(content.getJsonObject("m.focus").getString("user_id")).isEqualTo(rig.bot());
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
