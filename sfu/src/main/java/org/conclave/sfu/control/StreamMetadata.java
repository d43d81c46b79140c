package org.conclave.sfu.control;

import java.util.Objects;

/**
 * What one media stream (an msid stream id) carries, as Matrix clients describe it in {@code sdp_stream_metadata}
 * (MSC3077; MSC3898 adds the sender). Plain data, like the rest of the contract.
 *
 * @param purpose camera/microphone or screen share
 * @param audioMuted the sender muted its audio (self-muted; a host's mute is separate)
 * @param videoMuted the sender turned its video off
 * @param participantId the sending participant ({@link AllocateRequest#participantId()}) in what the SFU describes;
 *     null in what a client describes about its own streams
 */
public record StreamMetadata(Purpose purpose, boolean audioMuted, boolean videoMuted, String participantId) {
    /** {@code purpose} of MSC3077. */
    public enum Purpose {
        USERMEDIA("m.usermedia"), SCREENSHARE("m.screenshare");

        private final String wire;

        Purpose(String wire) {
            this.wire = wire;
        }

        /** The value on the wire ({@code m.usermedia}, {@code m.screenshare}). */
        public String wire() {
            return wire;
        }

        /** The purpose named {@code wire}; anything unknown is usermedia (what clients assume without metadata). */
        public static Purpose fromWire(String wire) {
            return SCREENSHARE.wire.equals(wire) ? SCREENSHARE : USERMEDIA;
        }
    }

    public StreamMetadata {
        Objects.requireNonNull(purpose, "purpose");
    }

    /** A client's description of one of its own streams. */
    public static StreamMetadata own(Purpose purpose, boolean audioMuted, boolean videoMuted) {
        return new StreamMetadata(purpose, audioMuted, videoMuted, null);
    }
}
