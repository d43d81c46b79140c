package org.conclave.tests.e2ee;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.sfu.forward.PacketTap;

/**
 * Keeps a copy of every RTP packet the SFU decrypted hop by hop: what an SFU operator, or an attacker inside the SFU,
 * could read. Copies on the packet thread (a test, not the media path) up to {@link #MAX_BYTES}.
 */
public final class PayloadTap implements PacketTap {
    /** The fake-device media of a few pages for half a minute is a few MB; this bounds a runaway. */
    static final long MAX_BYTES = 256L << 20;

    private final ConcurrentLinkedQueue<TappedPacket> packets = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();

    @Override
    public void onDecryptedRtp(String endpointId, byte[] packet, int off, int len) {
        if (bytes.addAndGet(len) > MAX_BYTES) {
            overflow.incrementAndGet();
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(packet, off, copy, 0, len);
        packets.add(new TappedPacket(endpointId, copy));
    }

    /** Packets that did not fit in {@link #MAX_BYTES}. */
    public long overflow() {
        return overflow.get();
    }

    public List<TappedPacket> packets() {
        return List.copyOf(packets);
    }

    /** The packets of one endpoint and SSRC, in arrival order. */
    public List<TappedPacket> packets(String endpointId, long ssrc) {
        return packets.stream()
                .filter(p -> p.endpointId().equals(endpointId) && Integer.toUnsignedLong(p.ssrc()) == ssrc)
                .toList();
    }
}
