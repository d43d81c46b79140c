package org.conclave.sfu.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One parsed client-to-SFU data-channel message. Every message may carry {@code content.request_id}. */
public sealed interface ControlMessage {
    /** The wire {@code type}. */
    String type();

    /** The client's {@code content.request_id}, echoed in replies; null when absent. */
    String requestId();

    /** Commands only a host may send (for {@code lower_hand}, the room decides: own hand or someone else's). */
    default boolean hostOnly() {
        return false;
    }

    /** The action's name for error messages ("mute", "lock"). */
    default String action() {
        String t = type();
        return t.startsWith(ControlMessages.OWN_PREFIX) ? t.substring(ControlMessages.OWN_PREFIX.length()) : t;
    }

    /** {@code m.call.ping}: answered with {@code m.call.pong} carrying the same content. */
    record Ping(ObjectNode content, String requestId) implements ControlMessage {
        public String type() { return "m.call.ping"; }
    }

    /** One subscription entry: the receiver wants this track at about this size. */
    record Subscribe(String streamId, String trackId, int width, int height) {}

    record TrackSubscription(List<Subscribe> subscribe, List<TrackRefMessage> unsubscribe, String requestId)
            implements ControlMessage {
        public String type() { return "m.call.track_subscription"; }
    }

    /** A track named in an unsubscribe list. */
    record TrackRefMessage(String streamId, String trackId) {}

    /** {@code m.call.negotiate}: {@code offer} or {@code answer}. */
    record Negotiate(String descriptionType, String sdp, String requestId) implements ControlMessage {
        public String type() { return "m.call.negotiate"; }
    }

    /** {@code m.call.pong}: the answer to the SFU's keep-alive ping; nothing to reply. */
    record Pong(String requestId) implements ControlMessage {
        public String type() { return "m.call.pong"; }
    }

    /** What the client says about one of its streams. */
    record StreamInfo(org.conclave.sfu.control.StreamMetadata.Purpose purpose, boolean audioMuted, boolean videoMuted,
            Map<String, int[]> trackSizes) {
        /** As the control contract describes a client's own stream. */
        org.conclave.sfu.control.StreamMetadata own() {
            return org.conclave.sfu.control.StreamMetadata.own(purpose, audioMuted, videoMuted);
        }
    }

    record StreamMetadataChanged(Map<String, StreamInfo> streams, String requestId) implements ControlMessage {
        public String type() { return "m.call.sdp_stream_metadata_changed"; }
    }

    record Speaking(boolean speaking, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.speaking"; }
    }

    record RaiseHand(String requestId) implements ControlMessage {
        public String type() { return "org.conclave.raise_hand"; }
    }

    /** {@code endpointId} null: the sender's own hand. */
    record LowerHand(String endpointId, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.lower_hand"; }
    }

    record LowerAllHands(String requestId) implements ControlMessage {
        public String type() { return "org.conclave.lower_all_hands"; }
        public boolean hostOnly() { return true; }
    }

    record Lock(String requestId) implements ControlMessage {
        public String type() { return "org.conclave.lock"; }
        public boolean hostOnly() { return true; }
    }

    record Unlock(String requestId) implements ControlMessage {
        public String type() { return "org.conclave.unlock"; }
        public boolean hostOnly() { return true; }
    }

    record Admit(String endpointId, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.admit"; }
        public boolean hostOnly() { return true; }
    }

    record Reject(String endpointId, String reason, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.reject"; }
        public boolean hostOnly() { return true; }
    }

    record Mute(String endpointId, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.mute"; }
        public boolean hostOnly() { return true; }
    }

    record Unmute(String endpointId, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.unmute"; }
        public boolean hostOnly() { return true; }
    }

    record MuteGuests(String requestId) implements ControlMessage {
        public String type() { return "org.conclave.mute_guests"; }
        public boolean hostOnly() { return true; }
    }

    record UnmuteGuests(String requestId) implements ControlMessage {
        public String type() { return "org.conclave.unmute_guests"; }
        public boolean hostOnly() { return true; }
    }

    record Spotlight(String endpointId, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.spotlight"; }
        public boolean hostOnly() { return true; }
    }

    record Unspotlight(String endpointId, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.unspotlight"; }
        public boolean hostOnly() { return true; }
    }

    record Disconnect(String endpointId, String reason, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.disconnect"; }
        public boolean hostOnly() { return true; }
    }

    record DisconnectAll(String reason, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.disconnect_all"; }
        public boolean hostOnly() { return true; }
    }

    /** {@code endpointId} null clears the focus (clients follow the dominant speaker). */
    record SetFocus(String endpointId, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.set_focus"; }
        public boolean hostOnly() { return true; }
    }

    record RosterFilterMessage(Set<RosterCriterion> criteria, String name, String requestId) implements ControlMessage {
        public String type() { return "org.conclave.roster_filter"; }
    }
}
