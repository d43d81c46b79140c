package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;
import org.conclave.sfu.rtp.ReceiveStatistics;

/** Sender report, PT 200 (RFC 3550 §6.4.1). Accessors assume {@link RtcpKind#SENDER_REPORT}. */
public final class SenderReport {
    /** Header, sender SSRC and the 20-byte sender info. */
    public static final int HEADER_LENGTH = 28;
    public static final int MAX_REPORT_BLOCKS = 31;

    private SenderReport() {
    }

    public static int senderSsrc(byte[] b, int off) {
        return Bytes.int32(b, off + 4);
    }

    /** 64-bit NTP timestamp (32.32 fixed point seconds since 1900). */
    public static long ntpTimestamp(byte[] b, int off) {
        return Bytes.int64(b, off + 8);
    }

    public static long rtpTimestamp(byte[] b, int off) {
        return Bytes.uint32(b, off + 16);
    }

    public static long packetCount(byte[] b, int off) {
        return Bytes.uint32(b, off + 20);
    }

    public static long octetCount(byte[] b, int off) {
        return Bytes.uint32(b, off + 24);
    }

    public static int reportBlockCount(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    /** Absolute offset of report block {@code index}; read it with {@link ReportBlock}. */
    public static int reportBlockOffset(int off, int index) {
        return off + HEADER_LENGTH + index * ReportBlock.LENGTH;
    }

    /**
     * Writes an SR with one report block per source ({@link ReceiveStatistics#writeReportBlock}, which starts each
     * source's next loss interval).
     *
     * @return the length written, or -1 (nothing written) if it does not fit or there are more than 31 sources
     */
    public static int write(byte[] buf, int off, int senderSsrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount, ReceiveStatistics[] sources, int sourceCount,
                            long nowNanos) {
        int length = HEADER_LENGTH + sourceCount * ReportBlock.LENGTH;
        if (sourceCount < 0 || sourceCount > MAX_REPORT_BLOCKS || (sourceCount > 0 && sourceCount > sources.length)
                || !RtcpPacket.fits(buf, off, length)) {
            return -1;
        }
        RtcpPacket.writeHeader(buf, off, sourceCount, RtcpPacket.PT_SR, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt64(buf, off + 8, ntpTimestamp);
        Bytes.putInt32(buf, off + 16, (int) rtpTimestamp);
        Bytes.putInt32(buf, off + 20, (int) packetCount);
        Bytes.putInt32(buf, off + 24, (int) octetCount);
        for (int i = 0; i < sourceCount; i++) {
            sources[i].writeReportBlock(buf, reportBlockOffset(off, i), nowNanos);
        }
        return length;
    }

    /**
     * Translates a forwarded SR in place for one receiver: new sender SSRC, RTP timestamp shifted by
     * {@code timestampOffset} (mod 2^32) so it matches the rewritten media timestamps. Report blocks are left as they
     * are; see {@link #stripReportBlocks}.
     */
    public static void translate(byte[] b, int off, int newSenderSsrc, long timestampOffset) {
        Bytes.putInt32(b, off + 4, newSenderSsrc);
        Bytes.putInt32(b, off + 16, (int) (rtpTimestamp(b, off) + timestampOffset));
    }

    /**
     * Drops the report blocks (and any profile extension and padding) in place: they describe what the original
     * sender received, which means nothing to the receiver of a forwarded SR.
     *
     * @return the new packet length, {@link #HEADER_LENGTH}
     */
    public static int stripReportBlocks(byte[] b, int off) {
        RtcpPacket.writeHeader(b, off, 0, RtcpPacket.PT_SR, HEADER_LENGTH);
        return HEADER_LENGTH;
    }
}
