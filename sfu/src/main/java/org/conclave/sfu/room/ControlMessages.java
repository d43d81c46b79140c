package org.conclave.sfu.room;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.conclave.sfu.room.ControlMessage.*;

/**
 * Parses untrusted client-to-SFU JSON into typed {@link ControlMessage}s. Everything is bounded (bytes, nesting,
 * list sizes, id lengths) and every refusal is a {@link ControlMessageException} with an errcode and a sentence
 * naming the field; nothing else is thrown. Unknown fields are ignored (newer clients).
 */
public final class ControlMessages {
    static final String OWN_PREFIX = "org.conclave.";
    /** Sizes beyond any real video; keeps arithmetic on them trivially safe. */
    static final int MAX_DIMENSION = 65_535;
    /** Unknown types are quoted in errors, cut to this length. */
    private static final int QUOTE_LIMIT = 64;

    private final RoomOptions options;
    private final ObjectMapper mapper;

    public ControlMessages(RoomOptions options) {
        this.options = options;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(options.maxJsonDepth())
                        .maxStringLength(options.maxMessageBytes())
                        .maxNumberLength(32)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Parses one text message. */
    public ControlMessage parse(String json) throws ControlMessageException {
        if (json == null) throw new ControlMessageException(ErrorCode.M_NOT_JSON, "the message is empty", null, null);
        if (utf8Length(json) > options.maxMessageBytes()) {
            throw new ControlMessageException(ErrorCode.M_TOO_LARGE, "the message is larger than "
                    + options.maxMessageBytes() + " bytes", null, null);
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new ControlMessageException(ErrorCode.M_BAD_JSON, "the message is nested deeper than "
                    + options.maxJsonDepth() + " levels (sfu.room_max_json_depth) or has an oversized value", null,
                    null);
        } catch (JsonProcessingException e) {
            throw new ControlMessageException(ErrorCode.M_NOT_JSON, "the message is not JSON: "
                    + e.getOriginalMessage(), null, null);
        }
        if (root == null || root.isMissingNode()) {
            throw new ControlMessageException(ErrorCode.M_NOT_JSON, "the message is empty", null, null);
        }
        if (!root.isObject()) {
            throw new ControlMessageException(ErrorCode.M_BAD_JSON, "a control message must be a JSON object "
                    + "{\"type\": ..., \"content\": {...}}", null, null);
        }
        JsonNode typeNode = root.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.textValue() : null;
        JsonNode contentNode = root.get("content");
        String requestId = null;
        if (contentNode != null && contentNode.isObject()) {
            JsonNode rid = contentNode.get("request_id");
            if (rid != null && rid.isTextual() && rid.textValue().length() <= options.maxIdLength()) {
                requestId = rid.textValue();
            }
        }
        Reader r = new Reader(type, requestId);
        if (type == null) throw r.fail(ErrorCode.M_BAD_JSON, "the message has no string field \"type\"");
        ObjectNode content;
        if (contentNode == null || contentNode.isNull()) {
            content = mapper.createObjectNode();
        } else if (contentNode.isObject()) {
            content = (ObjectNode) contentNode;
        } else {
            throw r.fail(ErrorCode.M_BAD_JSON, "\"content\" must be an object");
        }
        r.optionalString(content, "request_id", options.maxIdLength());
        return switch (type) {
            case "m.call.ping" -> new Ping(content, requestId);
            case "m.call.pong" -> new Pong(requestId);
            case "m.call.track_subscription" -> trackSubscription(r, content);
            case "m.call.negotiate" -> negotiate(r, content);
            case "m.call.sdp_stream_metadata_changed" -> metadata(r, content);
            case "org.conclave.speaking" -> new Speaking(r.requiredBoolean(content, "speaking"), requestId);
            case "org.conclave.raise_hand" -> new RaiseHand(requestId);
            case "org.conclave.lower_hand" -> new LowerHand(r.optionalId(content, "endpoint_id"), requestId);
            case "org.conclave.lower_all_hands" -> new LowerAllHands(requestId);
            case "org.conclave.lock" -> new Lock(requestId);
            case "org.conclave.unlock" -> new Unlock(requestId);
            case "org.conclave.admit" -> new Admit(r.requiredId(content, "endpoint_id"), requestId);
            case "org.conclave.reject" -> new Reject(r.requiredId(content, "endpoint_id"),
                    r.optionalString(content, "reason", options.maxIdLength()), requestId);
            case "org.conclave.mute" -> new Mute(r.requiredId(content, "endpoint_id"), requestId);
            case "org.conclave.unmute" -> new Unmute(r.requiredId(content, "endpoint_id"), requestId);
            case "org.conclave.mute_guests" -> new MuteGuests(requestId);
            case "org.conclave.unmute_guests" -> new UnmuteGuests(requestId);
            case "org.conclave.spotlight" -> new Spotlight(r.requiredId(content, "endpoint_id"), requestId);
            case "org.conclave.unspotlight" -> new Unspotlight(r.requiredId(content, "endpoint_id"), requestId);
            case "org.conclave.disconnect" -> new Disconnect(r.requiredId(content, "endpoint_id"),
                    r.optionalString(content, "reason", options.maxIdLength()), requestId);
            case "org.conclave.disconnect_all" -> new DisconnectAll(
                    r.optionalString(content, "reason", options.maxIdLength()), requestId);
            case "org.conclave.set_focus" -> setFocus(r, content);
            case "org.conclave.roster_filter" -> rosterFilter(r, content);
            default -> throw r.fail(ErrorCode.M_UNRECOGNIZED, "unknown message type \"" + quote(type) + "\"");
        };
    }

    private TrackSubscription trackSubscription(Reader r, ObjectNode content) throws ControlMessageException {
        List<Subscribe> subscribe = new ArrayList<>();
        for (JsonNode n : r.optionalArray(content, "subscribe")) {
            ObjectNode o = r.object(n, "subscribe[]");
            subscribe.add(new Subscribe(r.requiredId(o, "stream_id"), r.requiredId(o, "track_id"),
                    r.dimension(o, "width"), r.dimension(o, "height")));
        }
        List<TrackRefMessage> unsubscribe = new ArrayList<>();
        for (JsonNode n : r.optionalArray(content, "unsubscribe")) {
            ObjectNode o = r.object(n, "unsubscribe[]");
            unsubscribe.add(new TrackRefMessage(r.requiredId(o, "stream_id"), r.requiredId(o, "track_id")));
        }
        return new TrackSubscription(List.copyOf(subscribe), List.copyOf(unsubscribe), r.requestId);
    }

    private Negotiate negotiate(Reader r, ObjectNode content) throws ControlMessageException {
        JsonNode d = content.get("description");
        if (d == null || !d.isObject()) throw r.fail(ErrorCode.M_BAD_JSON, "\"description\" must be an object {type, sdp}");
        ObjectNode description = (ObjectNode) d;
        String kind = r.requiredString(description, "type", 16);
        if (!kind.equals("offer") && !kind.equals("answer")) {
            throw r.fail(ErrorCode.M_INVALID_PARAM, "description.type must be \"offer\" or \"answer\", not \""
                    + quote(kind) + "\"");
        }
        String sdp = r.requiredString(description, "sdp", options.maxMessageBytes());
        if (sdp.isBlank()) throw r.fail(ErrorCode.M_INVALID_PARAM, "description.sdp is empty");
        return new Negotiate(kind, sdp, r.requestId);
    }

    private StreamMetadataChanged metadata(Reader r, ObjectNode content) throws ControlMessageException {
        JsonNode m = content.get("sdp_stream_metadata");
        if (m == null || !m.isObject()) throw r.fail(ErrorCode.M_BAD_JSON, "\"sdp_stream_metadata\" must be an object");
        if (m.size() > options.maxListItems()) {
            throw r.fail(ErrorCode.M_INVALID_PARAM, "sdp_stream_metadata has more than " + options.maxListItems() + " streams");
        }
        Map<String, StreamInfo> streams = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            r.checkId(e.getKey(), "sdp_stream_metadata key");
            ObjectNode s = r.object(e.getValue(), "sdp_stream_metadata." + quote(e.getKey()));
            String purposeName = r.optionalString(s, "purpose", 32);
            Purpose purpose = purposeName == null ? Purpose.USERMEDIA : purpose(purposeName);
            if (purpose == null) {
                throw r.fail(ErrorCode.M_INVALID_PARAM, "purpose must be \"m.usermedia\" or \"m.screenshare\", not \""
                        + quote(purposeName) + "\"");
            }
            Map<String, int[]> sizes = new LinkedHashMap<>();
            JsonNode tracks = s.get("tracks");
            if (tracks != null && !tracks.isNull()) {
                if (!tracks.isObject()) throw r.fail(ErrorCode.M_BAD_JSON, "\"tracks\" must be an object");
                if (tracks.size() > options.maxListItems()) {
                    throw r.fail(ErrorCode.M_INVALID_PARAM, "tracks has more than " + options.maxListItems() + " entries");
                }
                for (Map.Entry<String, JsonNode> t : tracks.properties()) {
                    r.checkId(t.getKey(), "tracks key");
                    ObjectNode size = r.object(t.getValue(), "tracks." + quote(t.getKey()));
                    sizes.put(t.getKey(), new int[] {r.dimension(size, "width"), r.dimension(size, "height")});
                }
            }
            streams.put(e.getKey(), new StreamInfo(purpose, r.optionalBoolean(s, "audio_muted"),
                    r.optionalBoolean(s, "video_muted"), sizes));
        }
        return new StreamMetadataChanged(streams, r.requestId);
    }

    /** The purpose named exactly {@code wire}, or null. */
    private static Purpose purpose(String wire) {
        for (Purpose p : Purpose.values()) {
            if (p.wire().equals(wire)) return p;
        }
        return null;
    }

    private SetFocus setFocus(Reader r, ObjectNode content) throws ControlMessageException {
        if (!content.has("endpoint_id")) {
            throw r.fail(ErrorCode.M_BAD_JSON, "\"endpoint_id\" is required (a string, or null to clear the focus)");
        }
        return new SetFocus(r.optionalId(content, "endpoint_id"), r.requestId);
    }

    private RosterFilterMessage rosterFilter(Reader r, ObjectNode content) throws ControlMessageException {
        Set<RosterCriterion> criteria = EnumSet.noneOf(RosterCriterion.class);
        for (JsonNode n : r.optionalArray(content, "filters")) {
            if (!n.isTextual()) throw r.fail(ErrorCode.M_BAD_JSON, "filters must be strings");
            RosterCriterion c = RosterCriterion.ofWire(n.textValue());
            if (c == null) {
                throw r.fail(ErrorCode.M_INVALID_PARAM, "unknown roster filter \"" + quote(n.textValue())
                        + "\"; known: all, hosts, guests, waiting, hand_raised, speaking, muted, spotlight, audio_only");
            }
            if (c != RosterCriterion.ALL) criteria.add(c);
        }
        String name = r.optionalString(content, "name", options.maxNameFilterLength());
        return new RosterFilterMessage(criteria, name == null ? "" : name, r.requestId);
    }

    static String quote(String s) {
        String cut = s.length() > QUOTE_LIMIT ? s.substring(0, QUOTE_LIMIT) + "…" : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(c < 0x20 || c == '"' || c == '\\' ? '?' : c);
        }
        return b.toString();
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** Field access that turns every shape problem into an exception naming the field. */
    private final class Reader {
        final String type;
        final String requestId;

        Reader(String type, String requestId) {
            this.type = type;
            this.requestId = requestId;
        }

        ControlMessageException fail(ErrorCode code, String message) {
            return new ControlMessageException(code, message, type, requestId);
        }

        ObjectNode object(JsonNode n, String what) throws ControlMessageException {
            if (n == null || !n.isObject()) throw fail(ErrorCode.M_BAD_JSON, what + " must be an object");
            return (ObjectNode) n;
        }

        List<JsonNode> optionalArray(ObjectNode o, String field) throws ControlMessageException {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) return List.of();
            if (!n.isArray()) throw fail(ErrorCode.M_BAD_JSON, "\"" + field + "\" must be an array");
            if (n.size() > options.maxListItems()) {
                throw fail(ErrorCode.M_INVALID_PARAM, "\"" + field + "\" has more than " + options.maxListItems() + " entries");
            }
            List<JsonNode> out = new ArrayList<>(n.size());
            n.forEach(out::add);
            return out;
        }

        String requiredString(ObjectNode o, String field, int maxLength) throws ControlMessageException {
            String s = optionalString(o, field, maxLength);
            if (s == null) throw fail(ErrorCode.M_BAD_JSON, "\"" + field + "\" is required (a string)");
            return s;
        }

        String optionalString(ObjectNode o, String field, int maxLength) throws ControlMessageException {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) return null;
            if (!n.isTextual()) throw fail(ErrorCode.M_BAD_JSON, "\"" + field + "\" must be a string");
            if (n.textValue().length() > maxLength) {
                throw fail(ErrorCode.M_INVALID_PARAM, "\"" + field + "\" is longer than " + maxLength + " characters");
            }
            return n.textValue();
        }

        String requiredId(ObjectNode o, String field) throws ControlMessageException {
            String s = requiredString(o, field, options.maxIdLength());
            checkId(s, field);
            return s;
        }

        String optionalId(ObjectNode o, String field) throws ControlMessageException {
            String s = optionalString(o, field, options.maxIdLength());
            if (s != null) checkId(s, field);
            return s;
        }

        void checkId(String s, String what) throws ControlMessageException {
            if (s.isEmpty()) throw fail(ErrorCode.M_INVALID_PARAM, what + " is empty");
            if (s.length() > options.maxIdLength()) {
                throw fail(ErrorCode.M_INVALID_PARAM, what + " is longer than " + options.maxIdLength() + " characters");
            }
        }

        boolean requiredBoolean(ObjectNode o, String field) throws ControlMessageException {
            JsonNode n = o.get(field);
            if (n == null || !n.isBoolean()) throw fail(ErrorCode.M_BAD_JSON, "\"" + field + "\" is required (true or false)");
            return n.booleanValue();
        }

        boolean optionalBoolean(ObjectNode o, String field) throws ControlMessageException {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) return false;
            if (!n.isBoolean()) throw fail(ErrorCode.M_BAD_JSON, "\"" + field + "\" must be true or false");
            return n.booleanValue();
        }

        /** A width or height: absent means 0 (the thumbnail). */
        int dimension(ObjectNode o, String field) throws ControlMessageException {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) return 0;
            if (!n.isNumber()) throw fail(ErrorCode.M_BAD_JSON, "\"" + field + "\" must be a number");
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() > MAX_DIMENSION) {
                throw fail(ErrorCode.M_INVALID_PARAM, "\"" + field + "\" must be a whole number 0.." + MAX_DIMENSION
                        + ", got " + quote(n.asText()));
            }
            return n.intValue();
        }
    }
}
