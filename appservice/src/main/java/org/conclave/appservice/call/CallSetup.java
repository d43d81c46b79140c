package org.conclave.appservice.call;

import io.vertx.core.Future;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.intent.MatrixHttpException;
import org.conclave.appservice.room.RoomState;
import org.conclave.appservice.room.RoomStateCache;

/**
 * From an invite to an answered or refused call, the same for both transports: the conference must be known, the
 * caller's server allowed (checked before anything is looked up), the caller a member of the conference room
 * ({@link CallAuthorizer}, against the cached room state); then the endpoint is allocated, end-to-end-encrypted media
 * required when the room is encrypted. Nothing of the SFU is touched for a refused call.
 */
final class CallSetup {
    private final RoomStateCache rooms;
    private final CallConfig config;

    CallSetup(RoomStateCache rooms, CallConfig config) {
        this.rooms = rooms;
        this.config = config;
    }

    Future<Void> start(CallSession call, CallInvite invite) {
        String roomId = call.conferenceRoomId();
        if (roomId == null) {
            return call.refuse(invite.confId() == null ? Notices.noConference()
                    : Notices.unknownConference(invite.confId()));
        }
        CallAuthorizer.Decision server = CallAuthorizer.server(call.caller().userId(), config);
        if (server != null) return call.refuse(server.refusal());
        return rooms.get(roomId).transform(ar -> {
            if (ar.failed() && !notInRoom(ar.cause())) {
                return call.refuse(Notices.setupFailed("the homeserver did not tell me who belongs to the conference "
                        + "room. Try again in a moment."));
            }
            RoomState state = ar.succeeded() ? ar.result() : null;
            CallAuthorizer.Decision decision = CallAuthorizer.decide(call.caller().userId(), roomId, state, config);
            if (decision.refused()) return call.refuse(decision.refusal());
            return call.answer(decision.role(), config.requireE2eeInEncryptedRooms() && state.encrypted(), invite);
        });
    }

    /** The homeserver's answer when the bot cannot read a room: it is not in it (or the room does not exist). */
    private static boolean notInRoom(Throwable x) {
        return x instanceof MatrixHttpException m && (m.status() == 403 || m.status() == 404);
    }
}
