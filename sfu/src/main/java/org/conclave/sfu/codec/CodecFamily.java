package org.conclave.sfu.codec;

import org.conclave.sfu.rtp.RtpPacket;

/**
 * The codecs the SFU tells apart: where a frame's readable prefix and SFrame header sit (e2ee) and whether a packet
 * starts a key frame (layer switches) depend on it; everything else is {@link #OTHER}.
 */
public enum CodecFamily {
    VP8, OPUS, H264, OTHER;

    /** Whether this RTP payload starts a key frame; always false for audio and {@link #OTHER}. */
    public boolean isKeyFrameStart(byte[] b, int off, int len) {
        return switch (this) {
            case VP8 -> Vp8Payload.isKeyFrameStart(b, off, len);
            case H264 -> H264Payload.isKeyFrameStart(b, off, len);
            default -> false;
        };
    }

    /** Same for a whole RTP packet (validated here; padding excluded). */
    public boolean isKeyFrameStartPacket(byte[] b, int off, int len) {
        int header = RtpPacket.validate(b, off, len);
        if (header < 0) {
            return false;
        }
        return isKeyFrameStart(b, off + header, len - header - RtpPacket.paddingLength(b, off, len));
    }
}
