package org.conclave.sfu.conference;

import java.util.function.BiConsumer;
import java.util.function.Function;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.forward.MediaWorker;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.room.RoomMedia;

/**
 * What the conference rooms' decisions do (control thread): mutes, waiting-room holds and screen shares go to the
 * packet thread, video qualities to the receiving endpoint, metadata changes to the endpoints that receive the
 * sender's streams, and a host's disconnect closes the endpoint.
 */
final class RoomBridge implements RoomMedia {
    private final MediaWorker worker;
    private final Function<String, Endpoint> endpoints;
    private final BiConsumer<Endpoint, String> hostClose;

    /**
     * @param endpoints the live endpoint of an id, or null
     * @param hostClose closes an endpoint a host disconnected or rejected (or the waiting room timed out), with why
     */
    RoomBridge(MediaWorker worker, Function<String, Endpoint> endpoints, BiConsumer<Endpoint, String> hostClose) {
        this.worker = worker;
        this.endpoints = endpoints;
        this.hostClose = hostClose;
    }

    @Override
    public void setAudioForwarded(String endpointId, boolean forwarded) {
        worker.setAudioForwarded(endpointId, forwarded);
    }

    @Override
    public void setAdmitted(String endpointId, boolean admitted) {
        worker.setHeld(endpointId, !admitted);
    }

    @Override
    public void setVideoQuality(String receiverEndpointId, String senderEndpointId, String streamId, String trackId,
            VideoQuality quality, String reason) {
        Endpoint e = endpoints.apply(receiverEndpointId);
        if (e != null) e.requestVideoQuality(streamId, trackId, quality, reason);
    }

    @Override
    public void setScreenShare(String endpointId, String streamId, String trackId, boolean screenShare) {
        Endpoint e = endpoints.apply(endpointId);
        if (e == null) return;
        for (Source s : e.sources()) {
            if (s.streamId().equals(streamId) && s.trackId().equals(trackId)) {
                worker.setScreenShare(endpointId, s.mid(), screenShare);
            }
        }
    }

    @Override
    public void streamMetadataChanged(String endpointId) {
        Endpoint e = endpoints.apply(endpointId);
        if (e != null) e.conference.streamMetadataChanged(endpointId);
    }

    @Override
    public void disconnect(String endpointId, String reason) {
        Endpoint e = endpoints.apply(endpointId);
        if (e != null) hostClose.accept(e, reason);
    }
}
