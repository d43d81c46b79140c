package org.conclave.keyexchange.keys;

import java.util.List;
import java.util.Set;

/**
 * Keys to send to some members. With the room-event transport the client sends one event into the room (every member
 * of the encrypted room can read it, recipients say who needs it); with to-device it sends one message per recipient.
 */
public record KeyDelivery(List<MediaKey> keys, Set<String> recipients) {
    public KeyDelivery {
        keys = List.copyOf(keys);
        recipients = Set.copyOf(recipients);
    }
}
