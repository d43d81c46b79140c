package org.conclave.appservice.call;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.control.FailureReason;

/** Contents of the VoIP v1 events the bot sends (spec, MSC2746), and the reading of what clients send. */
final class CallEvents {
    static final String INVITE = "m.call.invite";
    static final String ANSWER = "m.call.answer";
    static final String CANDIDATES = "m.call.candidates";
    static final String SELECT_ANSWER = "m.call.select_answer";
    static final String NEGOTIATE = "m.call.negotiate";
    static final String HANGUP = "m.call.hangup";
    static final String REJECT = "m.call.reject";
    static final String VERSION = "1";
    static final String CALL_STATE = "org.matrix.msc3401.call";

    private CallEvents() {}

    static JsonObject base(String callId, String partyId) {
        return new JsonObject().put("call_id", callId).put("party_id", partyId).put("version", VERSION);
    }

    static JsonObject answer(String callId, String partyId, String sdp) {
        return base(callId, partyId).put("answer", new JsonObject().put("type", "answer").put("sdp", sdp));
    }

    static JsonObject negotiate(String callId, String partyId, String type, String sdp, int lifetimeMs) {
        JsonObject c = base(callId, partyId).put("description", new JsonObject().put("type", type).put("sdp", sdp));
        return "offer".equals(type) ? c.put("lifetime", lifetimeMs) : c;
    }

    static JsonObject hangup(String callId, String partyId, String reason) {
        return base(callId, partyId).put("reason", reason);
    }

    static JsonObject reject(String callId, String partyId) {
        return base(callId, partyId);
    }

    static JsonObject notice(String text) {
        return new JsonObject().put("msgtype", "m.notice").put("body", text);
    }

    /** The SFU's candidates (taken from its answer) as one batch, then end-of-candidates. */
    static JsonObject candidates(String callId, String partyId, String answerSdp) {
        JsonArray list = new JsonArray();
        String mid = null;
        int index = -1;
        for (String line : answerSdp.split("\r?\n")) {
            if (line.startsWith("m=")) index++;
            if (line.startsWith("a=mid:") && mid == null) mid = line.substring(6).trim();
            if (line.startsWith("a=candidate:") && index == 0) {
                list.add(new JsonObject().put("candidate", line.substring(2).trim()).put("sdpMLineIndex", 0));
            }
        }
        List<Object> withMid = new ArrayList<>();
        for (Object o : list) withMid.add(((JsonObject) o).put("sdpMid", mid));
        withMid.add(new JsonObject().put("candidate", "").put("sdpMid", mid).put("sdpMLineIndex", 0));
        return base(callId, partyId).put("candidates", new JsonArray(withMid));
    }

    /** Spec hangup reasons for the SFU's failures. */
    static String hangupReason(FailureReason reason) {
        return switch (reason) {
            case ICE_TIMEOUT -> "ice_timeout";
            case ICE_CONSENT_EXPIRED, DTLS_FAILED, DTLS_FINGERPRINT_MISMATCH -> "ice_failed";
            default -> "unknown_error";
        };
    }

    /** VoIP v1 says "1"; v0 clients send the integer 0. */
    static boolean supportedVersion(Object version) {
        return VERSION.equals(version) || (version instanceof Number n && n.intValue() == 0);
    }

    /** The server name of a user id ({@code @local:server}), or null. */
    static String serverOf(String userId) {
        int colon = userId == null ? -1 : userId.indexOf(':');
        return colon < 0 ? null : userId.substring(colon + 1);
    }
}
