package org.conclave.sfu.conference;

import java.util.HashMap;
import java.util.Map;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.e2ee.E2eeGuard;
import org.conclave.sfu.forward.MediaWorker;
import org.conclave.sfu.forward.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the packet threads report (ICE failures, layer changes, refused media, audio levels), on the control thread. */
final class PacketEvents implements MediaWorker.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceService.class);

    private final ConferenceService service;

    PacketEvents(ConferenceService service) {
        this.service = service;
    }

    @Override
    public void onIceFailed(String endpointId, FailureReason reason, String detail) {
        service.control().postForEndpoint(endpointId, () -> {
            Endpoint e = service.endpoint(endpointId);
            if (e != null) service.fail(e, reason, detail);
        });
    }

    @Override
    public void onLayerChanged(String receiverId, Source source, VideoQuality quality, String reason) {
        service.control().postForEndpoint(receiverId, () -> {
            Endpoint e = service.endpoint(receiverId);
            if (e == null) return;
            LOG.info("endpoint {} now gets the {} of {}/{} ({})", receiverId, quality, source.streamId(),
                    source.trackId(), reason);
            e.listener.onLayerChanged(receiverId, source.streamId(), source.trackId(), quality, reason);
            e.conference.room.onLayerChanged(receiverId, source.streamId(), source.trackId(), quality, reason);
        });
    }

    @Override
    public void onMediaRefused(String endpointId) {
        service.control().postForEndpoint(endpointId, () -> {
            Endpoint e = service.endpoint(endpointId);
            if (e == null) return;
            if (!e.mediaRefusedLogged) {
                e.mediaRefusedLogged = true;
                LOG.warn("endpoint {} ({}) of conference {}: media refused, the client is not encrypting it end "
                        + "to end (held until it offers again)", endpointId, e.participantId, e.conference.id);
            }
            e.conference.room.setMediaRefused(endpointId, E2eeGuard.NOT_ENCRYPTING);
            e.listener.onMediaRefused(endpointId, E2eeGuard.NOT_ENCRYPTING);
        });
    }

    @Override
    public void onE2eeTrusted(String endpointId) {
        service.control().postForEndpoint(endpointId, () -> {
            Endpoint e = service.endpoint(endpointId);
            if (e != null) e.conference.room.setMediaRefused(endpointId, null);
        });
    }

    @Override
    public void onAudioLevels(Map<String, Integer> levelByEndpoint) {
        service.control().post(() -> {
            for (Conference c : service.conferences()) {
                Map<String, Integer> mine = new HashMap<>();
                for (Endpoint e : c.members()) {
                    Integer level = levelByEndpoint.get(e.id);
                    if (level != null) mine.put(e.id, level);
                }
                c.room.onAudioLevels(mine);
            }
        });
    }
}
