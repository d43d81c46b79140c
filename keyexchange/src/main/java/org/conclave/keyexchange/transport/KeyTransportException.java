package org.conclave.keyexchange.transport;

/** Why a key event content could not be produced or consumed. */
public abstract sealed class KeyTransportException extends Exception
        permits KeyTransportException.Malformed, KeyTransportException.UnencryptedRoom {

    private KeyTransportException(String message) {
        super(message);
    }

    /** A received content is not a valid key event (any hostile or broken input ends here). */
    public static final class Malformed extends KeyTransportException {
        public Malformed(String message) {
            super(message);
        }
    }

    /** Keys were about to be sent into a room whose state has no {@code m.room.encryption} event. */
    public static final class UnencryptedRoom extends KeyTransportException {
        private final String roomId;

        public UnencryptedRoom(String roomId) {
            super("Refusing to send media keys into room " + roomId + ": its state has no m.room.encryption event, "
                    + "so the keys would be readable by the homeserver and anyone who reads the room. "
                    + "Enable encryption in the room, or use to-device key transport.");
            this.roomId = roomId;
        }

        public String roomId() {
            return roomId;
        }
    }
}
