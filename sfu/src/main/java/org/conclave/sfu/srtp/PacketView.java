package org.conclave.sfu.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * jitsi-srtp's view of a packet: the caller's array, wrapped without copying and re-pointed per packet, so
 * no allocation happens. It never reallocates: {@link SrtpSession} checks capacity before protecting, and
 * a growth request beyond the array is a bug, reported by {@link CapacityExceeded}.
 */
final class PacketView implements ByteArrayBuffer {

    /** Thrown (pre-allocated, no stack trace) if jitsi-srtp asks for room the caller did not give. */
    static final class CapacityExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final CapacityExceeded INSTANCE = new CapacityExceeded();

        private CapacityExceeded() {
            super("packet buffer too small", null, false, false);
        }
    }

    private byte[] buffer;
    private int offset;
    private int length;

    void wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** Drops the reference so a session does not pin the caller's last array. */
    void clear() {
        buffer = null;
        offset = 0;
        length = 0;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        if (length < 0 || offset + length > buffer.length) {
            throw CapacityExceeded.INSTANCE;
        }
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        if (offset < 0 || offset + length > buffer.length) {
            throw CapacityExceeded.INSTANCE;
        }
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuff) {
        System.arraycopy(buffer, offset + off, outBuff, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0 || offset + length + howMuch > buffer.length) {
            throw CapacityExceeded.INSTANCE;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
