package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;
import org.conclave.sfu.rtp.ReceiveStatistics;

/** Receiver report, PT 201 (RFC 3550 §6.4.2). Accessors assume {@link RtcpKind#RECEIVER_REPORT}. */
public final class ReceiverReport {
    /** Header and sender SSRC. */
    public static final int HEADER_LENGTH = 8;
    public static final int MAX_REPORT_BLOCKS = 31;

    private ReceiverReport() {
    }

    public static int senderSsrc(byte[] b, int off) {
        return Bytes.int32(b, off + 4);
    }

    public static int reportBlockCount(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    /** Absolute offset of report block {@code index}; read it with {@link ReportBlock}. */
    public static int reportBlockOffset(int off, int index) {
        return off + HEADER_LENGTH + index * ReportBlock.LENGTH;
    }

    /**
     * Writes an RR with one report block per source ({@link ReceiveStatistics#writeReportBlock}, which starts each
     * source's next loss interval). {@code sources} may be null when {@code sourceCount} is 0.
     *
     * @return the length written, or -1 (nothing written) if it does not fit or there are more than 31 sources
     */
    public static int write(byte[] buf, int off, int senderSsrc, ReceiveStatistics[] sources, int sourceCount,
                            long nowNanos) {
        int length = HEADER_LENGTH + sourceCount * ReportBlock.LENGTH;
        if (sourceCount < 0 || sourceCount > MAX_REPORT_BLOCKS || (sourceCount > 0 && sourceCount > sources.length)
                || !RtcpPacket.fits(buf, off, length)) {
            return -1;
        }
        RtcpPacket.writeHeader(buf, off, sourceCount, RtcpPacket.PT_RR, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        for (int i = 0; i < sourceCount; i++) {
            sources[i].writeReportBlock(buf, reportBlockOffset(off, i), nowNanos);
        }
        return length;
    }

    /** Writes the RR header for {@code blockCount} blocks the caller then writes with {@link ReportBlock#write}. */
    public static int writeHeader(byte[] buf, int off, int senderSsrc, int blockCount) {
        int length = HEADER_LENGTH + blockCount * ReportBlock.LENGTH;
        if (blockCount < 0 || blockCount > MAX_REPORT_BLOCKS || !RtcpPacket.fits(buf, off, length)) {
            return -1;
        }
        RtcpPacket.writeHeader(buf, off, blockCount, RtcpPacket.PT_RR, length);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        return HEADER_LENGTH;
    }
}
