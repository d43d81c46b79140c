package org.conclave.sfu.datachannel;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The default control handler until the room protocol plugs in: answers {@code m.call.ping} with {@code m.call.pong}
 * carrying the same content (so tests can send big payloads and check them), and everything else with an
 * {@code org.conclave.error} (see docs/protocol.md).
 */
public final class PingResponder implements ControlMessageHandler {
    public static final String PING = "m.call.ping";
    public static final String PONG = "m.call.pong";
    public static final String ERROR = "org.conclave.error";
    /** Unparseable text. */
    public static final String NOT_JSON = "M_NOT_JSON";
    /** JSON, but not a message: no string "type", or a "content" that is not an object. */
    public static final String BAD_JSON = "M_BAD_JSON";
    public static final String UNRECOGNIZED = "M_UNRECOGNIZED";
    /** Deeper JSON is refused as not JSON: nobody needs it, and it costs stack. */
    static final int MAX_NESTING_DEPTH = 64;
    /** Longest message type echoed back in an error. */
    static final int MAX_ECHOED_TYPE_CHARS = 100;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

    @Override
    public void onText(ControlChannel channel, String text) {
        channel.send(reply(text));
    }

    /** The reply to one client message. */
    static String reply(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JacksonException e) {
            return error(NOT_JSON, "the message is not JSON");
        }
        if (message == null || !message.isObject()) return error(BAD_JSON, "the message is not a JSON object");
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) return error(BAD_JSON, "the message has no string \"type\"");
        JsonNode content = message.get("content");
        if (content != null && !content.isObject()) return error(BAD_JSON, "\"content\" must be an object");
        if (!type.textValue().equals(PING)) {
            String t = type.textValue();
            if (t.length() > MAX_ECHOED_TYPE_CHARS) t = t.substring(0, MAX_ECHOED_TYPE_CHARS) + "...";
            return error(UNRECOGNIZED, "unknown message type " + t);
        }
        ObjectNode pong = JSON.createObjectNode();
        pong.put("type", PONG);
        pong.set("content", content != null ? content : JSON.createObjectNode());
        return write(pong);
    }

    static String error(String code, String detail) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", ERROR);
        ObjectNode content = e.putObject("content");
        content.put("errcode", code);
        content.put("error", detail);
        return write(e);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
