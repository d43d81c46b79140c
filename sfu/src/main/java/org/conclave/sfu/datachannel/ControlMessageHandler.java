package org.conclave.sfu.datachannel;

/**
 * What the SFU does with clients' data-channel text messages: the control protocol plugs in here. Calls come on the
 * SCTP thread (one thread for all endpoints), so implementations must not block; replies via
 * {@link ControlChannel#send} may also come later from any thread.
 */
public interface ControlMessageHandler {
    /** A client opened a channel (or it became usable). */
    default void onOpen(ControlChannel channel) {
    }

    /** One whole text message from the client. */
    void onText(ControlChannel channel, String text);

    /**
     * The client sent more text messages than its rate allows; the excess was dropped unread. Called at most once a
     * second per endpoint, so a reply here cannot become a flood of its own.
     */
    default void onRateLimited(ControlChannel channel, int messagesPerSecond) {
    }

    /** The endpoint's data channels are gone. */
    default void onClosed(String endpointId) {
    }
}
