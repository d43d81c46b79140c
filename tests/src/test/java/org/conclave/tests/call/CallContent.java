package org.conclave.tests.call;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The content of the m.call.* events a caller sends, as docs/protocol.md ("placing a conference call") has them. */
final class CallContent {
    static final String VERSION = "1";
    static final String INVITE = "m.call.invite";
    static final String ANSWER = "m.call.answer";
    static final String CANDIDATES = "m.call.candidates";
    static final String NEGOTIATE = "m.call.negotiate";
    static final String SELECT_ANSWER = "m.call.select_answer";
    static final String HANGUP = "m.call.hangup";
    static final String REJECT = "m.call.reject";
    static final String METADATA_CHANGED = "m.call.sdp_stream_metadata_changed";
    static final String CALL_STATE = "org.conclave.call";

    private CallContent() {}

    /**
     * @param confId the conference room
     * @param invitee the bot, or null to leave the field out
     */
    static JsonObject invite(String callId, String partyId, String sdpOffer, long lifetimeMs, String confId,
            String deviceId, String invitee) {
        JsonObject content = common(callId, partyId)
                .put("lifetime", lifetimeMs)
                .put("offer", new JsonObject().put("type", "offer").put("sdp", sdpOffer))
                .put("conf_id", confId)
                .put("device_id", deviceId);
        if (invitee != null) content.put("invitee", invitee);
        return content;
    }

    /** An offer or an answer during the call; {@code type} is "offer" or "answer". */
    static JsonObject negotiate(String callId, String partyId, String type, String sdp, long lifetimeMs) {
        return common(callId, partyId).put("lifetime", lifetimeMs)
                .put("description", new JsonObject().put("type", type).put("sdp", sdp));
    }

    /** One candidate ({@code ""} = end of candidates). */
    static JsonObject candidates(String callId, String partyId, String candidate, String sdpMid) {
        JsonObject c = new JsonObject().put("candidate", candidate).put("sdpMLineIndex", 0);
        if (sdpMid != null) c.put("sdpMid", sdpMid);
        return common(callId, partyId).put("candidates", new JsonArray().add(c));
    }

    static JsonObject hangup(String callId, String partyId, String reason) {
        return common(callId, partyId).put("reason", reason);
    }

    static JsonObject selectAnswer(String callId, String partyId, String selectedPartyId) {
        return common(callId, partyId).put("selected_party_id", selectedPartyId);
    }

    private static JsonObject common(String callId, String partyId) {
        return new JsonObject().put("call_id", callId).put("party_id", partyId).put("version", VERSION);
    }
}
