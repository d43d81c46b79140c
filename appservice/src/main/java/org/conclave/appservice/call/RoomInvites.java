package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.appservice.intent.TxnIds;
import org.conclave.appservice.room.RoomState;
import org.conclave.appservice.room.RoomStateCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms the bot is asked into. An invite from a user of an allowed homeserver is accepted; any other is declined
 * in words (a notice in the room, then a leave whose reason says the same, which the inviter sees even if the join
 * failed). A direct room that is encrypted gets one notice: the bot cannot read it, and how to call instead.
 * Confined to the call loop.
 */
final class RoomInvites {
    private static final Logger LOG = LoggerFactory.getLogger(RoomInvites.class);

    private final BotClient bot;
    private final RoomStateCache rooms;
    private final CallConfig config;
    /** Rooms the bot was invited to as a direct room ({@code is_direct}). */
    private final Set<String> direct = new HashSet<>();
    private final Set<String> toldEncrypted = new HashSet<>();

    RoomInvites(BotClient bot, RoomStateCache rooms, CallConfig config) {
        this.bot = bot;
        this.rooms = rooms;
        this.config = config;
    }

    /** The bot's own {@code m.room.member} invite. */
    Future<Void> invited(RoomEvent invite) {
        String roomId = invite.roomId();
        String server = Participant.serverOf(invite.sender());
        if (!config.allows(server)) return decline(invite, server);
        boolean isDirect = Boolean.TRUE.equals(invite.content().getValue("is_direct"));
        if (isDirect) direct.add(roomId);
        return bot.join(roomId)
                .compose(joined -> isDirect ? encryptedAtInvite(invite) : Future.succeededFuture(false))
                .compose(encrypted -> encrypted ? tellEncrypted(roomId) : Future.succeededFuture())
                .recover(x -> {
                    LOG.warn("could not join {} (invited by {}): {}", roomId, invite.sender(), x.toString());
                    return Future.succeededFuture();
                });
    }

    /**
     * An {@code m.room.encrypted} event someone sent: in a direct room (invited as one, or two members), the bot
     * says once that it cannot read it. Encrypted conference rooms are normal and get nothing.
     */
    Future<Void> encryptedMessage(RoomEvent event) {
        String roomId = event.roomId();
        if (toldEncrypted.contains(roomId)) return Future.succeededFuture();
        if (direct.contains(roomId)) return tellEncrypted(roomId);
        return rooms.get(roomId)
                .compose(state -> state.joinedCount() <= 2 ? tellEncrypted(roomId) : Future.succeededFuture())
                .recover(x -> Future.succeededFuture());
    }

    /** From the invite's stripped state (Synapse sends it), else from the room's state after joining. */
    private Future<Boolean> encryptedAtInvite(RoomEvent invite) {
        JsonObject unsigned = invite.json().getValue("unsigned") instanceof JsonObject u ? u : new JsonObject();
        if (unsigned.getValue("invite_room_state") instanceof JsonArray stripped) {
            return Future.succeededFuture(stripped.stream().anyMatch(e -> e instanceof JsonObject o
                    && RoomState.ENCRYPTION.equals(o.getValue("type"))));
        }
        return rooms.get(invite.roomId()).map(RoomState::encrypted);
    }

    private Future<Void> tellEncrypted(String roomId) {
        if (!toldEncrypted.add(roomId)) return Future.succeededFuture();
        LOG.info("{} is an encrypted direct room: telling it how to call instead", roomId);
        return bot.sendEvent(roomId, CallContent.MESSAGE, CallContent.notice(Notices.encryptedDirectRoom()),
                TxnIds.derived(roomId, "encrypted-room-notice")).<Void>mapEmpty().recover(x -> {
                    LOG.warn("could not tell {} that it is encrypted: {}", roomId, x.toString());
                    return Future.succeededFuture();
                });
    }

    private Future<Void> decline(RoomEvent invite, String server) {
        String roomId = invite.roomId();
        String words = Notices.inviteDeclined(server);
        LOG.info("declining the invite to {} from {}: server {} is not in calls.allowed_servers", roomId,
                invite.sender(), server);
        Future<Void> told = bot.join(roomId).compose(joined -> bot.sendEvent(roomId, CallContent.MESSAGE,
                CallContent.notice(words), TxnIds.derived(invite.eventId(), "declined")).mapEmpty());
        // Leave whatever happened: after the notice, or rejecting the invite when the bot could not join.
        return told.transform(ar -> bot.leave(roomId, words)).recover(x -> {
            LOG.warn("could not leave {}: {}", roomId, x.toString());
            return Future.succeededFuture();
        });
    }
}
