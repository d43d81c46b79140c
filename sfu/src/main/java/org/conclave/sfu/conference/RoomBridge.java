package org.conclave.sfu.conference;

import java.util.function.Function;
import org.conclave.sfu.control.CloseCause;
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
    private final HostClose close;

    /** Closes an endpoint for the room. */
    @FunctionalInterface
    interface HostClose {
        void close(Endpoint e, CloseCause cause, String reason);
    }

    /**
     * @param endpoints the live endpoint of an id, or null
     * @param close closes an endpoint a host disconnected ({@code HOST}) or that was not let in from the waiting room
     *     ({@code REFUSED}), with why
     */
    RoomBridge(MediaWorker worker, Function<String, Endpoint> endpoints, HostClose close) {
        this.worker = worker;
        this.endpoints = endpoints;
        this.close = close;
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
        if (e != null) close.close(e, CloseCause.HOST, reason);
    }

    @Override
    public void refuse(String endpointId, String reason) {
        Endpoint e = endpoints.apply(endpointId);
        if (e != null) close.close(e, CloseCause.REFUSED, reason);
    }
}
