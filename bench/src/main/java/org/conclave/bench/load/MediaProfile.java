package org.conclave.bench.load;

/**
 * Packet sizes and rates of the generated media. Sizes are RTP payload bytes and stand for an SFrame-encrypted
 * frame (header, ciphertext and tag), so the SFU forwards what it would forward for a real E2EE client.
 *
 * @param audioMinBytes smallest Opus payload (20 ms frames, 50 packets/s)
 * @param audioMaxBytes largest Opus payload
 * @param thumbKbps bitrate of the thumbnail layer
 * @param fullKbps bitrate of the full-res layer
 * @param fps video frames per second; each frame is split into packets of at most {@code maxVideoPayload} bytes
 * @param maxVideoPayload largest video payload, so datagrams stay near 1200 bytes with header and SRTP tag
 */
public record MediaProfile(int audioMinBytes, int audioMaxBytes, int thumbKbps, int fullKbps, int fps,
        int maxVideoPayload) {
    public static final int AUDIO_PACKETS_PER_SECOND = 50;
    public static final int OPUS_CLOCK = 48_000;
    public static final int VIDEO_CLOCK = 90_000;
    public static final MediaProfile DEFAULT = new MediaProfile(100, 160, 150, 1500, 30, 1160);

    public MediaProfile {
        if (audioMinBytes < FramePayload.MIN_PAYLOAD || audioMaxBytes < audioMinBytes) {
            throw new IllegalArgumentException("audio sizes must be >= " + FramePayload.MIN_PAYLOAD + " and min <= max");
        }
        if (thumbKbps <= 0 || fullKbps <= 0 || fps <= 0 || maxVideoPayload < FramePayload.MIN_PAYLOAD) {
            throw new IllegalArgumentException("bitrates, fps and packet size must be positive");
        }
    }

    public MediaProfile withBitrates(int thumb, int full) {
        return new MediaProfile(audioMinBytes, audioMaxBytes, thumb, full, fps, maxVideoPayload);
    }

    /** Bytes of one video frame at this bitrate (at least one probe). */
    public int frameBytes(int kbps) {
        return Math.max(FramePayload.MIN_PAYLOAD, kbps * 1000 / 8 / fps);
    }

    /** Packets one frame is split into. */
    public int packetsPerFrame(int kbps) {
        return (frameBytes(kbps) + maxVideoPayload - 1) / maxVideoPayload;
    }

    /** Packets per second a track of this kind sends. */
    public double packetsPerSecond(org.conclave.bench.scenario.TrackKind kind) {
        return switch (kind) {
            case AUDIO -> AUDIO_PACKETS_PER_SECOND;
            case THUMB -> packetsPerFrame(thumbKbps) * (double) fps;
            case FULL -> packetsPerFrame(fullKbps) * (double) fps;
        };
    }
}
