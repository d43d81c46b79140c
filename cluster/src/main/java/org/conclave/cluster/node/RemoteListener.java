package org.conclave.cluster.node;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.Consumer;
import org.conclave.cluster.wire.ControlCodec;
import org.conclave.cluster.wire.NodeEvent;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;

/**
 * An endpoint's listener on its SFU node: every event becomes a {@link NodeEvent} sent to the allocating appservice's
 * address (fire and forget: an appservice that is gone is the membership's business). Called on SFU threads;
 * sending on the event bus never blocks.
 */
final class RemoteListener implements EndpointListener {
    private final Vertx vertx;
    private final String node;
    private final String address;
    private final Consumer<String> closed;

    RemoteListener(Vertx vertx, String node, String address, Consumer<String> closed) {
        this.vertx = vertx;
        this.node = node;
        this.address = address;
        this.closed = closed;
    }

    @Override
    public void onConnected(String endpointId) {
        send(new NodeEvent.Connected(node, endpointId));
    }

    @Override
    public void onFailed(String endpointId, FailureReason reason, String detail) {
        send(new NodeEvent.Failed(node, endpointId, reason, detail));
    }

    @Override
    public void onClosed(String endpointId, CloseCause cause, String detail) {
        closed.accept(endpointId);
        send(new NodeEvent.Closed(node, endpointId, cause, detail));
    }

    @Override
    public void onOffer(String endpointId, SfuDescription offer) {
        send(new NodeEvent.Offer(node, endpointId, offer));
    }

    @Override
    public void onStreamMetadata(String endpointId, Map<String, StreamMetadata> streams) {
        send(new NodeEvent.Metadata(node, endpointId, streams));
    }

    @Override
    public void onMediaRefused(String endpointId, String detail) {
        send(new NodeEvent.MediaRefused(node, endpointId, detail));
    }

    @Override
    public void onLayerChanged(String endpointId, String streamId, String trackId, VideoQuality quality,
            String reason) {
        send(new NodeEvent.LayerChanged(node, endpointId, streamId, trackId, quality, reason));
    }

    private void send(NodeEvent event) {
        vertx.eventBus().send(address, ControlCodec.encode(event));
    }
}
