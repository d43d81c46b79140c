package org.conclave.sfu.bwe;

import java.util.Locale;
import org.conclave.sfu.rtp.RtpPacket;

/** Video codecs whose key frames the SFU can see, and how. */
public enum VideoCodec {
    VP8, H264, OTHER;

    /** From a codec name or a forward.CodecKey ("vp8/90000", "h264/90000;pm=1"). */
    public static VideoCodec of(String codec) {
        String lower = codec.toLowerCase(Locale.ROOT);
        if (lower.startsWith("vp8")) {
            return VP8;
        }
        if (lower.startsWith("h264")) {
            return H264;
        }
        return OTHER;
    }

    /** Whether this RTP payload starts a key frame; always false for {@link #OTHER}. */
    public boolean isKeyFrameStart(byte[] b, int off, int len) {
        switch (this) {
            case VP8:
                return Vp8Payload.isKeyFrameStart(b, off, len);
            case H264:
                return H264Payload.isKeyFrameStart(b, off, len);
            default:
                return false;
        }
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
