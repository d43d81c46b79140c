package org.conclave.appservice.call;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.StreamMetadata;

/**
 * The contents of the m.call.* events the bot sends (spec VoIP v1, MSC2746, MSC3077), without the envelope
 * ({@code call_id}, {@code party_id}, {@code version}, and for to-device the MSC3401 fields), which the transport
 * adds. docs/protocol.md lists them.
 */
final class CallContent {
    static final String INVITE = "m.call.invite";
    static final String ANSWER = "m.call.answer";
    static final String CANDIDATES = "m.call.candidates";
    static final String SELECT_ANSWER = "m.call.select_answer";
    static final String NEGOTIATE = "m.call.negotiate";
    static final String HANGUP = "m.call.hangup";
    static final String REJECT = "m.call.reject";
    static final String METADATA_CHANGED = "m.call.sdp_stream_metadata_changed";
    static final String VERSION = "1";
    static final String MESSAGE = "m.room.message";
    /** The words behind a hangup or reject, for clients that show them (to-device callers get no notice in a DM). */
    static final String REASON_TEXT = "org.conclave.reason";

    private CallContent() {}

    static JsonObject answer(String sdp, Map<String, StreamMetadata> streams) {
        return SdpStreamMetadata.put(new JsonObject().put("answer", description("answer", sdp)), streams);
    }

    /** An offer (with {@code lifetime}) or an answer during the call. */
    static JsonObject negotiate(String type, String sdp, Map<String, StreamMetadata> streams, int lifetimeMs) {
        JsonObject c = SdpStreamMetadata.put(new JsonObject().put("description", description(type, sdp)), streams);
        return "offer".equals(type) ? c.put("lifetime", lifetimeMs) : c;
    }

    static JsonObject metadataChanged(Map<String, StreamMetadata> streams) {
        return SdpStreamMetadata.put(new JsonObject(), streams);
    }

    /**
     * Why the bot hung up when the VoIP reason cannot say it ({@code user_hangup}): the endpoint was removed by a host,
     * the server shuts down, an operator ended it. The data channel says it too, but may close before it is read.
     */
    static final String CODE = "org.conclave.code";
    static final String CODE_DISCONNECTED = "disconnected";
    static final String CODE_REFUSED = "refused";
    static final String CODE_SHUTDOWN = "shutdown";
    static final String CODE_OPERATOR = "operator";

    /** @param words why, for clients that show it; null for none */
    static JsonObject hangup(String reason, String words) {
        JsonObject c = new JsonObject().put("reason", reason);
        return words == null ? c : c.put(REASON_TEXT, words);
    }

    static JsonObject reject(String words) {
        return new JsonObject().put(REASON_TEXT, words);
    }

    static JsonObject notice(String text) {
        return new JsonObject().put("msgtype", "m.notice").put("body", text);
    }

    /** A notice in a shared room addressed to one user: named first and mentioned (spec v1.7 {@code m.mentions}). */
    static JsonObject noticeTo(String userId, String text) {
        return notice(userId + ": " + text).put("m.mentions", new JsonObject().put("user_ids", new JsonArray()
                .add(userId)));
    }

    /** The SFU's candidates (taken from its answer) as one batch, then end-of-candidates. */
    static JsonObject candidates(String answerSdp) {
        JsonArray list = new JsonArray();
        String mid = null;
        int index = -1;
        for (int start = 0; start < answerSdp.length(); ) {
            // Lines end with \n or \r\n; scanned, not split by a regex compiled on every call.
            int newline = answerSdp.indexOf('\n', start);
            int end = newline < 0 ? answerSdp.length() : newline;
            boolean crlf = newline > start && answerSdp.charAt(newline - 1) == '\r';
            String line = answerSdp.substring(start, crlf ? newline - 1 : end);
            start = end + 1;
            if (line.startsWith("m=")) index++;
            if (line.startsWith("a=mid:") && mid == null) mid = line.substring(6).trim();
            if (line.startsWith("a=candidate:") && index == 0) {
                list.add(new JsonObject().put("candidate", line.substring(2).trim()).put("sdpMLineIndex", 0));
            }
        }
        for (Object o : list) ((JsonObject) o).put("sdpMid", mid);
        list.add(new JsonObject().put("candidate", "").put("sdpMid", mid).put("sdpMLineIndex", 0));
        return new JsonObject().put("candidates", list);
    }

    /** Hangup reasons for the SFU's failures: the spec's, and MSC3898's {@code keep_alive_timeout}. */
    static String hangupReason(FailureReason reason) {
        return switch (reason) {
            case ICE_TIMEOUT -> "ice_timeout";
            // NODE_FAILED: the media path died with its SFU node, which is what ice_failed tells a client.
            case ICE_CONSENT_EXPIRED, DTLS_FAILED, DTLS_FINGERPRINT_MISMATCH, NODE_FAILED -> "ice_failed";
            case KEEP_ALIVE_TIMEOUT -> "keep_alive_timeout";
            default -> "unknown_error";
        };
    }

    /** VoIP v1 says "1"; v0 clients send the integer 0. */
    static boolean supportedVersion(Object version) {
        return VERSION.equals(version) || (version instanceof Number n && n.intValue() == 0);
    }

    private static JsonObject description(String type, String sdp) {
        return new JsonObject().put("type", type).put("sdp", sdp);
    }
}
