package org.conclave.sfu.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.VideoQuality;

/** The SFU-to-client messages, as JSON text (see docs/protocol.md). */
final class ServerMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerMessages() {}

    static String ping() {
        return message("m.call.ping", JSON.createObjectNode());
    }

    static String pong(ObjectNode content) {
        return message("m.call.pong", content.deepCopy());
    }

    static String negotiate(String descriptionType, String sdp, String requestId) {
        ObjectNode c = content(requestId);
        c.putObject("description").put("type", descriptionType).put("sdp", sdp);
        return message("m.call.negotiate", c);
    }

    static String welcome(Participant p) {
        ObjectNode c = JSON.createObjectNode();
        c.put("endpoint_id", p.endpointId).put("participant", p.participantId).put("role", role(p.role));
        return message("org.conclave.welcome", c);
    }

    /** {@code status}: waiting, admitted, rejected, timed_out. */
    static String waitingStatus(String status, String reason) {
        ObjectNode c = JSON.createObjectNode().put("status", status);
        if (reason != null) c.put("reason", reason);
        return message("org.conclave.waiting_status", c);
    }

    static String roomState(RoomState s) {
        ObjectNode c = JSON.createObjectNode();
        c.put("locked", s.locked()).put("guests_muted", s.guestsMuted()).put("focus", s.focus());
        ArrayNode spot = c.putArray("spotlight");
        s.spotlight().forEach(spot::add);
        return message("org.conclave.room_state", c);
    }

    static String rosterSnapshot(RosterFilter filter, Collection<RosterEntry> entries, String requestId) {
        ObjectNode c = content(requestId);
        c.put("snapshot", true);
        ArrayNode f = c.putArray("filters");
        filter.criteria().stream().sorted().forEach(x -> f.add(x.wire()));
        c.put("name", filter.name());
        ArrayNode e = c.putArray("entries");
        entries.forEach(x -> e.add(entry(x)));
        return message("org.conclave.roster", c);
    }

    static String rosterDelta(Collection<RosterEntry> changed, Collection<String> removed) {
        ObjectNode c = JSON.createObjectNode().put("snapshot", false);
        ArrayNode ch = c.putArray("changed");
        changed.forEach(x -> ch.add(entry(x)));
        ArrayNode rm = c.putArray("removed");
        removed.forEach(rm::add);
        return message("org.conclave.roster", c);
    }

    static String dominantSpeaker(String endpointId, String participant) {
        ObjectNode c = JSON.createObjectNode().put("endpoint_id", endpointId).put("participant", participant);
        return message("org.conclave.dominant_speaker", c);
    }

    static String handQueue(List<Participant> queue) {
        ObjectNode c = JSON.createObjectNode();
        ArrayNode q = c.putArray("queue");
        for (Participant p : queue) q.addObject().put("endpoint_id", p.endpointId).put("participant", p.participantId);
        return message("org.conclave.hand_queue", c);
    }

    static String layerChanged(String streamId, String trackId, VideoQuality quality, String reason) {
        ObjectNode c = JSON.createObjectNode().put("stream_id", streamId).put("track_id", trackId)
                .put("quality", quality.name().toLowerCase(Locale.ROOT)).put("reason", reason);
        return message("org.conclave.layer_changed", c);
    }

    /** Your media is refused: {@code error} says why and what to do. */
    static String mediaRefused(String error) {
        return message("org.conclave.media_refused",
                JSON.createObjectNode().put("reason", "not_encrypted").put("error", error));
    }

    static String pleaseMute(String byEndpointId) {
        return message("org.conclave.please_mute", JSON.createObjectNode().put("by", byEndpointId));
    }

    static String mayUnmute(String byEndpointId) {
        return message("org.conclave.may_unmute", JSON.createObjectNode().put("by", byEndpointId));
    }

    static String disconnected(String reason, String byEndpointId) {
        return message("org.conclave.disconnected",
                JSON.createObjectNode().put("reason", reason).put("by", byEndpointId));
    }

    static String ok(String requestType, String requestId) {
        return message("org.conclave.ok", content(requestId).put("request_type", requestType));
    }

    static String error(ErrorCode code, String error, String requestType, String requestId) {
        ObjectNode c = JSON.createObjectNode().put("errcode", code.name()).put("error", error)
                .put("request_type", requestType).put("request_id", requestId);
        return message("org.conclave.error", c);
    }

    static String role(Role r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    private static ObjectNode entry(RosterEntry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", e.id()).put("participant", e.participant()).put("role", role(e.role()))
                .put("speaking", e.speaking()).put("waiting", e.waiting()).put("hand_raised", e.handPosition() > 0);
        if (e.handPosition() > 0) o.put("hand_position", e.handPosition());
        else o.putNull("hand_position");
        o.put("spotlight", e.spotlight()).put("audio_only", e.audioOnly()).put("muted", e.muted())
                .put("self_muted", e.selfMuted()).put("media_refused", e.mediaRefused());
        return o;
    }

    private static ObjectNode content(String requestId) {
        ObjectNode c = JSON.createObjectNode();
        if (requestId != null) c.put("request_id", requestId);
        return c;
    }

    private static String message(String type, ObjectNode content) {
        ObjectNode m = JSON.createObjectNode().put("type", type);
        m.set("content", content);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }
}
