package org.conclave.appservice.call;

import java.util.concurrent.CompletionException;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;

/**
 * Every sentence the bot tells people (as {@code m.notice}): what went wrong and what to do about it, in words. One
 * place, so the wording stays consistent and docs/protocol.md can quote it.
 */
final class Notices {
    private Notices() {}

    // ---------------------------------------------------------------- refused calls

    static String serverNotAllowed(String server) {
        return "This conference server does not take calls from users of " + server + " (its operator allows "
                + "only some homeservers, calls.allowed_servers), so I cannot connect your call.";
    }

    static String noConference() {
        return "This call did not say which conference room it is for (the conf_id field of the invite), so I "
                + "cannot connect it.";
    }

    static String unknownConference(String confId) {
        return "This call names a conference I do not know (" + confId + "). Call again with the conference "
                + "room's id as conf_id.";
    }

    static String botNotInRoom(String roomId) {
        return "I am not in the conference room " + roomId + ", so I cannot check who belongs to it. Invite me to "
                + "that room first, then call again.";
    }

    static String notAMember(String roomId) {
        return "You are not a member of the conference room " + roomId + ". Join the room first, then call again.";
    }

    /** What a failure says to a person: the SFU's sentence, or that something internal went wrong. */
    static String detail(Throwable x) {
        Throwable t = x instanceof CompletionException && x.getCause() != null ? x.getCause() : x;
        if (t instanceof SfuException e) return e.getMessage();
        return "an internal error occurred (" + t.getClass().getSimpleName() + ").";
    }

    static String setupFailed(String detail) {
        return "I could not set up your call: " + detail;
    }

    // ---------------------------------------------------------------- caps (calls.max_*)

    static String tooManyInvites(int perMinute) {
        return "You are calling too often: this conference server takes at most " + perMinute + " calls a minute "
                + "from one user (calls.max_invites_per_user_per_minute), so I refused this call. Wait a minute, then "
                + "call again. (I will not answer your next calls in the meantime.)";
    }

    static String tooManyCalls(int max) {
        return "You already have " + max + " calls running with this conference server, the most one user may have "
                + "(calls.max_calls_per_user), so I refused this call. Hang up one of them (on any of your devices), "
                + "then call again.";
    }

    static String roomBusy(String roomId, int perMinute) {
        return "Too many people are calling into the conference room " + roomId + " at once: this conference server "
                + "takes at most " + perMinute + " calls a minute into one conference "
                + "(calls.max_invites_per_room_per_minute), so I refused this call. Wait a minute, then call again.";
    }

    // ---------------------------------------------------------------- ended calls

    static String leftRoom(boolean removed) {
        return removed ? "You were removed from the conference room, so your call was ended."
                : "You left the conference room, so your call was ended.";
    }

    static String renegotiationRefused(String detail) {
        return "Your renegotiation could not be used: " + detail;
    }

    /** For an SFU failure a person can act on; null for the others. */
    static String failure(FailureReason reason) {
        return switch (reason) {
            case ICE_TIMEOUT -> "Your call could not connect: no network path to the conference server was found.";
            case ICE_CONSENT_EXPIRED -> "Your call was ended because your connection to the conference server was "
                    + "lost.";
            case DTLS_FINGERPRINT_MISMATCH -> "Your call was refused: your client's security certificate did not "
                    + "match the one it announced, which can mean someone tampered with the connection.";
            case DTLS_FAILED -> "Your call could not set up its encryption with the conference server.";
            case CAPACITY -> "The conference server is full.";
            case KEEP_ALIVE_TIMEOUT -> "Your call was ended because your client stopped answering the conference "
                    + "server's keep-alive messages. Call again to rejoin.";
            case NODE_FAILED -> "The conference server node your call was on failed, so your call was ended. Call "
                    + "again: you will be connected through a node that works.";
            default -> null;
        };
    }

    static String hostDisconnected(String detail) {
        return "A host of the conference disconnected you" + (detail == null || detail.isBlank() ? "."
                : ": " + detail);
    }

    static String notLetIn(String detail) {
        return "You were not let into the conference" + (detail == null || detail.isBlank() ? "." : ": " + detail);
    }

    static String shuttingDown() {
        return "The conference server is restarting, so your call was ended. You can call again in a moment.";
    }

    static String endedByOperator() {
        return "The conference server's administrator ended your call. You can call again; if that is refused too, "
                + "ask your server's administrator why.";
    }

    // ---------------------------------------------------------------- media and the conference room

    static String mediaRefused(String detail) {
        return "Your client is not encrypting its media, and this conference requires end-to-end encryption, so "
                + "nobody can see or hear you. Use a client with end-to-end-encrypted calls (such as Conclave Web) "
                + "and call again." + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }

    static String encryptionNowRequired() {
        return "This room is now end-to-end encrypted, so the conference requires end-to-end-encrypted media from "
                + "now on: participants whose clients do not encrypt their media can no longer be seen or heard. "
                + "(A room's encryption cannot be turned off again.)";
    }

    static String powerLevelNeeded(String botUserId, String stateType, long needed, long current) {
        return "I cannot announce the running conference in this room: sending the state event " + stateType
                + " needs power level " + needed + " here, and I have " + current + ". Calls still work. A room "
                + "admin can give me that level: in Element, Room settings, Roles & Permissions, or the command "
                + "/op " + botUserId + " " + needed + ".";
    }

    // ---------------------------------------------------------------- rooms

    static String encryptedDirectRoom() {
        return "I cannot read encrypted messages, and this room is encrypted, so I will not see calls placed here. "
                + "To call a conference: use Conclave Web (it calls me with to-device messages, no room needed), or "
                + "call me from a direct room created without encryption.";
    }

    static String inviteDeclined(String server) {
        return "I only join rooms at the invitation of users of the homeservers this conference server allows "
                + "(calls.allowed_servers), and " + server + " is not one of them, so I am leaving.";
    }
}
