package org.conclave.tests.client;

import java.nio.charset.StandardCharsets;
import org.conclave.sfu.rtp.RtpPacket;

/** The RTP packets a {@link JavaPeer} sends, written into its transmit buffer before SRTP; each returns the length. */
final class PeerRtp {
    private PeerRtp() {}

    /**
     * A simulcast video packet: a one-byte-header extension block with the transport-wide sequence, mid and rid,
     * each only when its id is positive (negotiated).
     */
    static int video(byte[] b, int ssrc, int sequence, long timestamp, boolean marker, int tccId, int tseq, int midId,
            int ridId, String rid, byte[] payload, int payloadLength) {
        header(b, 0x90, (marker ? 0x80 : 0) | JavaPeer.VIDEO_PT, sequence, timestamp, ssrc); // V=2, X=1
        int p = 16;
        if (tccId > 0) {
            b[p++] = (byte) (tccId << 4 | 1);
            b[p++] = (byte) (tseq >> 8);
            b[p++] = (byte) tseq;
        }
        if (midId > 0) p = putText(b, p, midId, "1");
        if (ridId > 0) p = putText(b, p, ridId, rid);
        while ((p - 16) % 4 != 0) b[p++] = 0;
        extensionBlock(b, (p - 16) / 4);
        System.arraycopy(payload, 0, b, p, payloadLength);
        return p + payloadLength;
    }

    /** A tagged audio packet ({@link AudioTags}) with the RFC 6464 level when its id is positive. */
    static int audio(byte[] b, int ssrc, int sequence, long timestamp, int levelId, int level, int payloadLength) {
        int p = 12;
        if (levelId > 0) {
            header(b, 0x90, JavaPeer.AUDIO_PT, sequence, timestamp, ssrc);
            extensionBlock(b, 1);
            b[16] = (byte) (levelId << 4); // one byte of data
            int l = Math.max(0, Math.min(127, level));
            b[17] = (byte) ((l < 127 ? 0x80 : 0) | l); // V bit: voice activity
            b[18] = 0;
            b[19] = 0;
            p = 20;
        } else {
            header(b, 0x80, JavaPeer.AUDIO_PT, sequence, timestamp, ssrc);
        }
        AudioTags.write(b, p, ssrc, payloadLength);
        return p + payloadLength;
    }

    /** A packet with exactly this payload and no extension. */
    static int plain(byte[] b, int ssrc, int payloadType, int sequence, long timestamp, boolean marker, byte[] payload) {
        header(b, 0x80, (marker ? 0x80 : 0) | payloadType, sequence, timestamp, ssrc);
        System.arraycopy(payload, 0, b, 12, payload.length);
        return 12 + payload.length;
    }

    private static void header(byte[] b, int first, int second, int sequence, long timestamp, int ssrc) {
        b[0] = (byte) first;
        b[1] = (byte) second;
        RtpPacket.setSequence(b, 0, sequence);
        RtpPacket.setTimestamp(b, 0, timestamp);
        RtpPacket.setSsrc(b, 0, ssrc);
    }

    /** The one-byte-header profile (0xBEDE) and the block's length in 32-bit words. */
    private static void extensionBlock(byte[] b, int words) {
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[14] = (byte) (words >> 8);
        b[15] = (byte) words;
    }

    private static int putText(byte[] b, int p, int id, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        b[p++] = (byte) (id << 4 | (v.length - 1));
        System.arraycopy(v, 0, b, p, v.length);
        return p + v.length;
    }
}
