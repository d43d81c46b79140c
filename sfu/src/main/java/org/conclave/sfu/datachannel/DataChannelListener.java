package org.conclave.sfu.datachannel;

import org.conclave.sfu.sctp.DataChannel;

/**
 * Events of the data channels of one endpoint, delivered on the SCTP thread. Implementations must not block; they may
 * send on the channel directly (they run on its thread).
 */
public interface DataChannelListener {
    /** A channel is usable: the client opened it, or acknowledged one we opened. */
    default void onChannelOpen(String endpointId, DataChannel channel) {
    }

    /** A whole UTF-8 text message (PPID string), at most the configured message size. */
    default void onTextMessage(String endpointId, DataChannel channel, String text) {
    }

    /** A binary message; the SFU ignores them (only counted), so only the length is given. */
    default void onBinaryMessage(String endpointId, DataChannel channel, int length) {
    }

    default void onChannelClosed(String endpointId, DataChannel channel) {
    }

    /** Once, when the endpoint's association is gone (closed by either side, failed, or the endpoint left). */
    default void onClosed(String endpointId) {
    }
}
