package org.conclave.sfu.room;

/** What a stream shows, from {@code m.call.sdp_stream_metadata_changed}; camera unless the client says otherwise. */
public enum TrackPurpose {
    USERMEDIA("m.usermedia"), SCREENSHARE("m.screenshare");

    private final String wire;

    TrackPurpose(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The purpose named {@code wire}, or null. */
    public static TrackPurpose ofWire(String wire) {
        for (TrackPurpose p : values()) {
            if (p.wire.equals(wire)) return p;
        }
        return null;
    }
}
