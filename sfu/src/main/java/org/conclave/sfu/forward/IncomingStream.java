package org.conclave.sfu.forward;

import org.conclave.sfu.repair.UpstreamLossDetector;
import org.conclave.sfu.rtp.ReceiveStatistics;

/** One SSRC a client sends to us, bound to the source (m-line) it belongs to. Owned by the packet thread. */
final class IncomingStream {
    final int ssrc;
    final SourceRoute route;
    final ReceiveStatistics stats;
    /** Simulcast layer index, lowest 0. */
    final int layer;
    /** For an RTX stream, the media stream it repairs; null for media streams. */
    final IncomingStream repairs;
    /** Gaps NACKed to the sender; null for audio, RTX, or senders without NACK. */
    final UpstreamLossDetector loss;
    /** The packets as received (video media streams), answering every receiver's NACKs; null otherwise. */
    final org.conclave.sfu.repair.PacketCache cache;
    /** Media streams in conferences that require end-to-end encryption: their recent frames' verdicts. */
    org.conclave.sfu.e2ee.StreamFrames frames;
    /** The RTP timestamp of the last media packet, so frames of before an E2EE switch are known. */
    long lastTimestamp;
    boolean hasTimestamp;
    long packets;
    long bytes;
    long lastPacketNanos;
    /** {@link #bytes} when the layer bitrate was last measured. */
    long bytesAtLastRate;

    IncomingStream(int ssrc, SourceRoute route, ReceiveStatistics stats, int layer, IncomingStream repairs,
            UpstreamLossDetector loss, org.conclave.sfu.repair.PacketCache cache) {
        this.ssrc = ssrc;
        this.route = route;
        this.stats = stats;
        this.layer = layer;
        this.repairs = repairs;
        this.loss = loss;
        this.cache = cache;
    }
}
