package org.conclave.bench.load;

import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.scenario.Track;

/**
 * A track being sent: its RTP state and schedule. Audio: one packet every 20 ms. Video: one frame per 1/fps s, split
 * into packets of equal size with the marker on the last. Owned by one pacer thread once active.
 */
public final class OutgoingTrack {
    final Track track;
    final BenchTransport transport;
    final int ssrc;
    final int payloadType;
    final long intervalNanos;
    final int timestampStep;
    final int packetsPerTick;
    final int frameBytes;
    final int audioMin;
    final int audioSpread;
    int rtpSequence;
    long rtpTimestamp;
    long sequence;
    long dueNanos;
    volatile boolean active;

    OutgoingTrack(Track track, BenchTransport transport, int ssrc, int payloadType, MediaProfile profile, int seed) {
        this.track = track;
        this.transport = transport;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.rtpSequence = seed & 0xFFFF;
        this.rtpTimestamp = (seed >>> 3) & 0xFFFFFFFFL;
        switch (track.kind()) {
            case AUDIO -> {
                intervalNanos = 1_000_000_000L / MediaProfile.AUDIO_PACKETS_PER_SECOND;
                timestampStep = MediaProfile.OPUS_CLOCK / MediaProfile.AUDIO_PACKETS_PER_SECOND;
                packetsPerTick = 1;
                frameBytes = 0;
            }
            default -> {
                int kbps = track.kind() == org.conclave.bench.scenario.TrackKind.THUMB ? profile.thumbKbps() : profile.fullKbps();
                intervalNanos = 1_000_000_000L / profile.fps();
                timestampStep = MediaProfile.VIDEO_CLOCK / profile.fps();
                frameBytes = profile.frameBytes(kbps);
                packetsPerTick = profile.packetsPerFrame(kbps);
            }
        }
        audioMin = profile.audioMinBytes();
        audioSpread = profile.audioMaxBytes() - profile.audioMinBytes() + 1;
    }

    public Track track() {
        return track;
    }

    public int ssrc() {
        return ssrc;
    }

    /** Payload bytes of packet {@code p} (0-based) of the current tick. */
    int payloadBytes(int p) {
        if (frameBytes == 0) return audioMin + (int) ((rtpSequence * 37L) % audioSpread); // varies like Opus VBR
        int each = frameBytes / packetsPerTick;
        int bytes = p == packetsPerTick - 1 ? frameBytes - each * (packetsPerTick - 1) : each;
        return Math.max(bytes, FramePayload.MIN_PAYLOAD);
    }
}
