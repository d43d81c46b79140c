package org.conclave.appservice.call;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.conclave.sfu.control.StreamMetadata;

/**
 * An {@code m.call.invite} as the bot reads it, from a room event or a to-device message (untrusted content).
 *
 * @param partyId the caller's {@code party_id} ("" if none)
 * @param deviceId the caller's {@code device_id}, else its {@code party_id} (matrix-js-sdk's party id is its device id
 *     and its room calls carry no device id), else {@code unknown}
 * @param confId {@code conf_id}: the conference room's id or the group call id of the bot's call state; null if none
 * @param metadata what the caller says about its own streams
 * @param lifetimeMs how long the invite is valid
 * @param invitee who the invite is for, or null for anyone
 * @param sessionId the caller's {@code sender_session_id} (to-device), or null
 */
record CallInvite(String callId, String partyId, String deviceId, String confId, String sdp,
        Map<String, StreamMetadata> metadata, long lifetimeMs, String invitee, String sessionId) {
    static final long DEFAULT_LIFETIME_MS = 60_000;
    /** Ids longer than this are not ids (room ids are at most 255 bytes). */
    static final int MAX_ID_CHARS = 255;

    /** An invite that cannot be a call; the message says why, for the log. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    static CallInvite parse(JsonObject content) throws Unusable {
        String callId = id(content, "call_id");
        if (callId == null) throw new Unusable("no usable call_id");
        if (!CallContent.supportedVersion(content.getValue("version"))) {
            throw new Unusable("unsupported version " + content.getValue("version"));
        }
        if (!(content.getValue("offer") instanceof JsonObject offer) || !"offer".equals(offer.getValue("type"))
                || !(offer.getValue("sdp") instanceof String sdp)) {
            throw new Unusable("no offer");
        }
        String partyId = id(content, "party_id");
        String deviceId = id(content, "device_id");
        if (deviceId == null) deviceId = partyId != null ? partyId : "unknown";
        long lifetime = content.getValue("lifetime") instanceof Number n ? n.longValue() : DEFAULT_LIFETIME_MS;
        return new CallInvite(callId, partyId == null ? "" : partyId, deviceId, id(content, "conf_id"), sdp,
                SdpStreamMetadata.read(content), lifetime, id(content, "invitee"), id(content, "sender_session_id"));
    }

    /** A string field that can be an id: not empty, not too long; else null. */
    static String id(JsonObject content, String field) {
        return content.getValue(field) instanceof String s && !s.isEmpty() && s.length() <= MAX_ID_CHARS ? s : null;
    }
}
