package org.conclave.sfu.room;

import org.conclave.sfu.control.VideoQuality;

/**
 * What the room asks of the media path. Called on the control thread; implementations hand the change to the packet
 * thread and return at once. Initial state the room assumes for a new endpoint: audio forwarded, admitted, every
 * video a thumbnail; it only calls to change that.
 */
public interface RoomMedia {
    /** Muting at the SFU: {@code false} stops this endpoint's audio from reaching anyone. */
    void setAudioForwarded(String endpointId, boolean forwarded);

    /** Waiting-room hold: {@code false} means no media from or to this endpoint. */
    void setAdmitted(String endpointId, boolean admitted);

    /**
     * Which video the receiver gets of one sender track (named by the sender's msid stream and track id);
     * {@code reason} ("subscription" or "spotlight") is what the receiver is told if what it gets changes.
     */
    void setVideoQuality(String receiverEndpointId, String senderEndpointId, String streamId, String trackId,
            VideoQuality quality, String reason);

    /** Closes the endpoint; {@code reason} is a sentence for logs and the user. The room has already forgotten it. */
    void disconnect(String endpointId, String reason);

    /** Closes a waiting endpoint that was not let in (refused by a host, or the wait timed out); as disconnect. */
    default void refuse(String endpointId, String reason) {
        disconnect(endpointId, reason);
    }

    /** A sender's video track is (or stops being) a screen share: rate control gives it bandwidth before cameras. */
    default void setScreenShare(String endpointId, String streamId, String trackId, boolean screenShare) {
    }

    /**
     * What receivers see of the endpoint's streams ({@link Room#describeStream}: purpose, mute state) changed: its own
     * metadata, or a host muted or unmuted it.
     */
    default void streamMetadataChanged(String endpointId) {
    }
}
