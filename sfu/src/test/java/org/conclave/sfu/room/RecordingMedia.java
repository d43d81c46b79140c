package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.control.VideoQuality;

/** Records the room's media calls as short strings ("audio e1 false", "quality r s st tr FULL_RES"). */
final class RecordingMedia implements RoomMedia {
    final List<String> calls = new ArrayList<>();
    /** The reason of each quality call, in order ("subscription", "spotlight"). */
    final List<String> qualityReasons = new ArrayList<>();
    /** Endpoints whose streams receivers now see differently (metadata, host mute), in order. */
    final List<String> metadataChanges = new ArrayList<>();

    @Override
    public void setAudioForwarded(String endpointId, boolean forwarded) {
        calls.add("audio " + endpointId + " " + forwarded);
    }

    @Override
    public void setAdmitted(String endpointId, boolean admitted) {
        calls.add("admitted " + endpointId + " " + admitted);
    }

    @Override
    public void setVideoQuality(String receiver, String sender, String streamId, String trackId, VideoQuality q,
            String reason) {
        qualityReasons.add(reason);
        calls.add("quality " + receiver + " " + sender + " " + streamId + " " + trackId + " " + q);
    }

    @Override
    public void streamMetadataChanged(String endpointId) {
        metadataChanges.add(endpointId);
    }

    @Override
    public void disconnect(String endpointId, String reason) {
        calls.add("disconnect " + endpointId + " " + reason);
    }
}
