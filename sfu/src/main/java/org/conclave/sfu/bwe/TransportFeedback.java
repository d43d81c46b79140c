package org.conclave.sfu.bwe;

import org.conclave.sfu.rtcp.RtcpFeedback;
import org.conclave.sfu.rtcp.RtcpKind;
import org.conclave.sfu.rtcp.RtcpPacket;
import org.conclave.sfu.rtp.Bytes;

/**
 * Reusable cursor over the FCI of a transport-wide congestion control feedback packet, RTPFB FMT 15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): base sequence, packet status count, reference time
 * (signed 24 bits, 64 ms units), feedback packet count, then packet status chunks (run-length, or status vectors of
 * fourteen 1-bit or seven 2-bit symbols) and one receive delta per received packet (1 byte unsigned for symbol 1,
 * 2 bytes signed for symbol 2, in 250 µs units; the first is relative to the reference time).
 *
 * <p>{@link #reset} validates the whole packet (chunks cover the status count, no reserved symbol, every delta
 * present) before anything is reported, so a caller never acts on half a feedback. Then {@link #next} walks one
 * packet status at a time. Safe on any input: errors are negative return codes, nothing throws. Not thread-safe; no
 * allocation.
 */
public final class TransportFeedback {
    /** Not a well-formed transport-cc RTCP packet ({@link RtcpPacket#kind} disagrees, or bounds are wrong). */
    public static final int ERR_NOT_TRANSPORT_CC = -1;
    /** Packet status count of zero (libwebrtc rejects these too). */
    public static final int ERR_EMPTY = -2;
    /** The status chunks end before the packet status count is covered. */
    public static final int ERR_CHUNKS = -3;
    /** A symbol 11 ("reserved") inside the packet status count. */
    public static final int ERR_RESERVED_SYMBOL = -4;
    /** The receive deltas run past the end of the packet. */
    public static final int ERR_DELTAS = -5;

    /** Symbols of draft-holmer §3.1.1. */
    public static final int NOT_RECEIVED = 0;
    public static final int RECEIVED_SMALL_DELTA = 1;
    public static final int RECEIVED_LARGE_DELTA = 2;
    private static final int RESERVED = 3;

    /** Reference time unit, 64 ms (draft-holmer §3.1). */
    public static final long REFERENCE_TIME_UNIT_US = 64_000;
    /** Receive delta unit, 250 µs (draft-holmer §3.1.5). */
    public static final long DELTA_UNIT_US = 250;

    private static final int FIXED_FCI_LENGTH = 8;
    private static final int CHUNK_LENGTH = 2;
    private static final int RUN_LENGTH_MASK = 0x1FFF;
    private static final int ONE_BIT_SYMBOLS = 14;
    private static final int TWO_BIT_SYMBOLS = 7;
    private static final int CHUNK_RUN = 0;
    private static final int CHUNK_ONE_BIT = 1;
    private static final int CHUNK_TWO_BIT = 2;

    private byte[] b;
    private int baseSequence;
    private int statusCount;
    private int referenceTicks;
    private int feedbackPacketCount;
    private int senderSsrc;
    private int mediaSsrc;

    // Cursor state.
    private int chunkPos;
    private int chunkType;
    private int chunkValue;
    private int chunkIndex;
    private int chunkSymbols;
    private int deltaPos;
    private int index;
    private int sequence;
    private int symbol;
    private long deltaTicks;
    private long offsetTicks;

    /**
     * Validates one RTCP packet (not a compound) and positions the cursor before its first packet status.
     *
     * @return the packet status count (at least 1), or a negative {@code ERR_*} code (then {@link #next} is false)
     */
    public int reset(byte[] b, int off, int len) {
        this.b = null;
        statusCount = 0;
        index = 0;
        if (RtcpPacket.kind(b, off, len) != RtcpKind.TRANSPORT_CC) {
            return ERR_NOT_TRANSPORT_CC;
        }
        int fci = off + 12;
        int end = off + len - RtcpPacket.paddingLength(b, off, len);
        int count = Bytes.uint16(b, fci + 2);
        if (count == 0) {
            return ERR_EMPTY;
        }
        int pos = fci + FIXED_FCI_LENGTH;
        int remaining = count;
        int deltaBytes = 0;
        while (remaining > 0) {
            if (end - pos < CHUNK_LENGTH) {
                return ERR_CHUNKS;
            }
            int chunk = Bytes.uint16(b, pos);
            pos += CHUNK_LENGTH;
            int type = typeOf(chunk);
            int n = Math.min(remaining, symbolsIn(type, chunk));
            if (type == CHUNK_RUN) {
                int s = runSymbol(chunk);
                if (s == RESERVED && n > 0) {
                    return ERR_RESERVED_SYMBOL;
                }
                deltaBytes += n * s;
            } else {
                for (int i = 0; i < n; i++) {
                    int s = vectorSymbol(type, chunk, i);
                    if (s == RESERVED) {
                        return ERR_RESERVED_SYMBOL;
                    }
                    deltaBytes += s;
                }
            }
            remaining -= n;
        }
        if (deltaBytes > end - pos) {
            return ERR_DELTAS;
        }
        this.b = b;
        senderSsrc = RtcpFeedback.senderSsrc(b, off);
        mediaSsrc = RtcpFeedback.mediaSsrc(b, off);
        baseSequence = Bytes.uint16(b, fci);
        statusCount = count;
        referenceTicks = Bytes.uint24(b, fci + 4);
        feedbackPacketCount = b[fci + 7] & 0xFF;
        chunkPos = fci + FIXED_FCI_LENGTH;
        chunkSymbols = 0;
        chunkIndex = 0;
        deltaPos = pos;
        offsetTicks = 0;
        return count;
    }

    /** Advances to the next packet status. @return false after the last one, or after a failed {@link #reset} */
    public boolean next() {
        if (b == null || index >= statusCount) {
            return false;
        }
        while (chunkIndex >= chunkSymbols) {
            chunkValue = Bytes.uint16(b, chunkPos);
            chunkPos += CHUNK_LENGTH;
            chunkType = typeOf(chunkValue);
            chunkSymbols = symbolsIn(chunkType, chunkValue);
            chunkIndex = 0;
        }
        symbol = chunkType == CHUNK_RUN ? runSymbol(chunkValue) : vectorSymbol(chunkType, chunkValue, chunkIndex);
        chunkIndex++;
        sequence = (baseSequence + index) & 0xFFFF;
        index++;
        if (symbol == RECEIVED_SMALL_DELTA) {
            deltaTicks = b[deltaPos] & 0xFF;
            deltaPos += 1;
        } else if (symbol == RECEIVED_LARGE_DELTA) {
            deltaTicks = (short) Bytes.uint16(b, deltaPos);
            deltaPos += 2;
        } else {
            deltaTicks = 0;
        }
        offsetTicks += deltaTicks;
        return true;
    }

    /** Transport-wide sequence number of the current status. */
    public int sequence() {
        return sequence;
    }

    /** {@link #NOT_RECEIVED}, {@link #RECEIVED_SMALL_DELTA} or {@link #RECEIVED_LARGE_DELTA}. */
    public int symbol() {
        return symbol;
    }

    public boolean received() {
        return symbol != NOT_RECEIVED;
    }

    /** This packet's receive delta in 250 µs ticks (0 when not received; may be negative for reordering). */
    public long deltaTicks() {
        return deltaTicks;
    }

    /** Arrival time of the current (received) packet relative to the reference time, µs. */
    public long arrivalOffsetUs() {
        return offsetTicks * DELTA_UNIT_US;
    }

    public int baseSequence() {
        return baseSequence;
    }

    public int statusCount() {
        return statusCount;
    }

    /** Reference time as sent: 24 bits, 64 ms units; wraps (callers unwrap it against the previous one). */
    public int referenceTicks() {
        return referenceTicks;
    }

    /** Reference time as a signed 24-bit value (draft-holmer), µs. */
    public long referenceTimeUs() {
        return (long) ((referenceTicks << 8) >> 8) * REFERENCE_TIME_UNIT_US;
    }

    /** Feedback packet count, 8 bits: a gap means feedback packets were lost. */
    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }

    public int senderSsrc() {
        return senderSsrc;
    }

    public int mediaSsrc() {
        return mediaSsrc;
    }

    private static int typeOf(int chunk) {
        if ((chunk & 0x8000) == 0) {
            return CHUNK_RUN;
        }
        return (chunk & 0x4000) == 0 ? CHUNK_ONE_BIT : CHUNK_TWO_BIT;
    }

    private static int symbolsIn(int type, int chunk) {
        switch (type) {
            case CHUNK_RUN:
                return chunk & RUN_LENGTH_MASK;
            case CHUNK_ONE_BIT:
                return ONE_BIT_SYMBOLS;
            default:
                return TWO_BIT_SYMBOLS;
        }
    }

    private static int runSymbol(int chunk) {
        return (chunk >>> 13) & 0x3;
    }

    private static int vectorSymbol(int type, int chunk, int i) {
        return type == CHUNK_ONE_BIT ? (chunk >>> (13 - i)) & 0x1 : (chunk >>> (12 - 2 * i)) & 0x3;
    }
}
