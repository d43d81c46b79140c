package org.conclave.sfu.sctp;

/** Events of the association and its channels, delivered on the driving thread. */
public interface AssociationListener {
    /** A channel is usable: the peer opened it, or acknowledged one we opened. */
    default void onChannelOpen(DataChannel channel) {
    }

    /** A whole message; {@code binary} false means UTF-8 text. */
    default void onMessage(DataChannel channel, byte[] data, boolean binary) {
    }

    /** Both directions of the channel's stream are reset, or the association went down. */
    default void onChannelClosed(DataChannel channel) {
    }

    default void onAssociationUp() {
    }

    /** Once, when the association ends for any reason (after the channels' onChannelClosed). */
    default void onAssociationDown(String reason) {
    }
}
