package org.conclave.cluster.placement;

import org.conclave.cluster.wire.NodeEvent;
import org.conclave.sfu.control.EndpointListener;

/** A node's event as the {@link EndpointListener} call it stands for (the SFU calls only these forms). */
final class NodeEvents {
    private NodeEvents() {}

    static void deliver(NodeEvent event, EndpointListener listener) {
        String id = event.endpointId();
        if (event instanceof NodeEvent.Connected) {
            listener.onConnected(id);
        } else if (event instanceof NodeEvent.Failed f) {
            listener.onFailed(id, f.reason(), f.detail());
        } else if (event instanceof NodeEvent.Closed c) {
            listener.onClosed(id, c.cause(), c.detail());
        } else if (event instanceof NodeEvent.Offer o) {
            listener.onOffer(id, o.offer());
        } else if (event instanceof NodeEvent.Metadata m) {
            listener.onStreamMetadata(id, m.streams());
        } else if (event instanceof NodeEvent.MediaRefused m) {
            listener.onMediaRefused(id, m.detail());
        } else if (event instanceof NodeEvent.LayerChanged l) {
            listener.onLayerChanged(id, l.streamId(), l.trackId(), l.quality(), l.reason());
        }
    }
}
