package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One received track as a peer reports it (from its getStats inbound-rtp and its own counters). Fields a peer does
 * not know are 0 or null: aiortc and wrtc count {@code framesDecoded} from their sinks, Chromium from getStats;
 * aiortc reports no {@code bytesReceived}. A track the SFU announced that never received a packet is reported with
 * zero counters.
 *
 * @param streamId the remote MediaStream id (the msid the SFU gave the track), when known
 * @param framesDecoded decoded video frames (0 for audio)
 * @param totalSamplesReceived decoded audio samples (audio tracks)
 * @param framesChecked with {@code --payload-check} (Chromium): encoded frames whose trailer was examined
 * @param framesCorrupt of those, frames whose trailer was missing or whose checksum did not match
 * @param freezeCount video freezes the receiver counted (Chromium getStats), and their total duration in seconds
 * @param nackCount NACK packets the receiver sent; {@code pliCount}, {@code firCount} likewise
 * @param retransmittedPacketsReceived retransmissions (RTX or not) it received, where the peer reports it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InboundRtp(
        String kind,
        long ssrc,
        String trackIdentifier,
        String mid,
        String streamId,
        long packetsReceived,
        long bytesReceived,
        long packetsLost,
        long framesDecoded,
        int frameWidth,
        int frameHeight,
        long totalSamplesReceived,
        long framesChecked,
        long framesCorrupt,
        long freezeCount,
        double totalFreezesDuration,
        long framesDropped,
        long keyFramesDecoded,
        long nackCount,
        long pliCount,
        long firCount,
        long retransmittedPacketsReceived) {

    public boolean isVideo() {
        return "video".equals(kind);
    }

    public boolean isAudio() {
        return "audio".equals(kind);
    }
}
