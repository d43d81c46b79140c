package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a {@link RoomTimeline}, as peers read it: a Matrix-like event with a room-wide sequence number.
 * {@code content} is the JSON object the sender posted (for membership events, {@code {"membership":"join"|"leave"}}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomEvent(long seq, String type, String sender, JsonNode content) {
    public static final String MEMBER = "m.room.member";
}
