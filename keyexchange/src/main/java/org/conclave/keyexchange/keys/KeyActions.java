package org.conclave.keyexchange.keys;

import java.util.List;

/**
 * What a {@link LocalKeyManager} step asks of the client.
 *
 * @param deliveries keys to send now
 * @param encryptWith the key to encrypt with from now on
 * @param switched   true when {@code encryptWith} changed in this step (install it in the SFrame sender)
 */
public record KeyActions(List<KeyDelivery> deliveries, MediaKey encryptWith, boolean switched) {
    public KeyActions {
        deliveries = List.copyOf(deliveries);
    }
}
