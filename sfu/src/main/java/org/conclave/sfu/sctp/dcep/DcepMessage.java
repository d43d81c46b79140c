package org.conclave.sfu.sctp.dcep;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A Data Channel Establishment Protocol message (RFC 8832 §5), carried with PPID 50. */
public sealed interface DcepMessage {
    int TYPE_ACK = 0x02;
    int TYPE_OPEN = 0x03;

    byte[] encode();

    /**
     * DATA_CHANNEL_OPEN. {@code reliabilityParameter} (unsigned 32-bit) means retransmissions or milliseconds according
     * to the channel type and is ignored for reliable channels. Label and protocol are UTF-8 on the wire.
     */
    record Open(ChannelType channelType, int priority, long reliabilityParameter, String label, String protocol)
            implements DcepMessage {
        static final int FIXED_LENGTH = 12;

        @Override
        public byte[] encode() {
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
            if (l.length > 0xFFFF || p.length > 0xFFFF) {
                throw new IllegalArgumentException("label or protocol too long");
            }
            ByteBuffer b = ByteBuffer.allocate(FIXED_LENGTH + l.length + p.length);
            b.put((byte) TYPE_OPEN).put((byte) channelType.code()).putShort((short) priority)
                    .putInt((int) reliabilityParameter).putShort((short) l.length).putShort((short) p.length)
                    .put(l).put(p);
            return b.array();
        }
    }

    /** DATA_CHANNEL_ACK. */
    record Ack() implements DcepMessage {
        @Override
        public byte[] encode() {
            return new byte[] {TYPE_ACK};
        }
    }

    /** Parses one DCEP message: exact lengths, a known channel type, valid UTF-8. */
    static DcepMessage parse(byte[] b, int off, int len) throws DcepFormatException {
        if (len < 1) throw new DcepFormatException("empty DCEP message");
        int type = b[off] & 0xFF;
        if (type == TYPE_ACK) {
            if (len != 1) throw new DcepFormatException("DATA_CHANNEL_ACK longer than 1 byte");
            return new Ack();
        }
        if (type != TYPE_OPEN) throw new DcepFormatException("unknown DCEP message type " + type);
        if (len < Open.FIXED_LENGTH) throw new DcepFormatException("DATA_CHANNEL_OPEN shorter than 12 bytes");
        ChannelType channelType = ChannelType.of(b[off + 1] & 0xFF);
        if (channelType == null) throw new DcepFormatException("unknown channel type " + (b[off + 1] & 0xFF));
        int priority = u16(b, off + 2);
        long reliability = ((long) u16(b, off + 4) << 16) | u16(b, off + 6);
        int labelLength = u16(b, off + 8);
        int protocolLength = u16(b, off + 10);
        if (len != Open.FIXED_LENGTH + labelLength + protocolLength) {
            throw new DcepFormatException("DATA_CHANNEL_OPEN length does not match label and protocol lengths");
        }
        String label = utf8(b, off + Open.FIXED_LENGTH, labelLength);
        String protocol = utf8(b, off + Open.FIXED_LENGTH + labelLength, protocolLength);
        return new Open(channelType, priority, reliability, label, protocol);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static String utf8(byte[] b, int off, int len) throws DcepFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw new DcepFormatException("label or protocol is not UTF-8");
        }
    }
}
