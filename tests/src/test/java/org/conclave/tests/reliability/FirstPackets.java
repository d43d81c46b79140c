package org.conclave.tests.reliability;

import java.util.Arrays;
import org.conclave.bench.client.BenchTransport;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.tests.client.JavaPeer;

/**
 * When one receiver first decrypted a packet of each SSRC it watches. Its receive thread looks packets up in a
 * copy-on-write array without allocating or locking (a stayer watches only the few visitors present, so a scan is
 * cheap); {@link #watch}/{@link #unwatch} come from signalling threads; the soak's check reads the slots.
 */
final class FirstPackets implements BenchTransport.RtpWatcher, JavaPeer.RtpWatch {
    static final long NOT_YET = Long.MIN_VALUE;
    private static final int RTP_HEADER = 12;

    /** One watched SSRC. */
    static final class Slot {
        final int ssrc;
        volatile long firstNanos = NOT_YET;

        Slot(int ssrc) {
            this.ssrc = ssrc;
        }

        boolean seen() {
            return firstNanos != NOT_YET;
        }
    }

    private volatile Slot[] slots = new Slot[0];

    @Override
    public void onRtp(byte[] b, int len, long nowNanos) {
        if (len >= RTP_HEADER) onRtp(RtpPacket.ssrc(b, 0), nowNanos);
    }

    @Override
    public void onRtp(int ssrc, long nowNanos) {
        for (Slot s : slots) {
            if (s.ssrc == ssrc) {
                if (s.firstNanos == NOT_YET) s.firstNanos = nowNanos;
                return;
            }
        }
    }

    /** Starts watching {@code ssrc} (or returns its slot if already watched). */
    synchronized Slot watch(int ssrc) {
        for (Slot s : slots) if (s.ssrc == ssrc) return s;
        Slot[] more = Arrays.copyOf(slots, slots.length + 1);
        Slot s = new Slot(ssrc);
        more[slots.length] = s;
        slots = more;
        return s;
    }

    synchronized void unwatch(int ssrc) {
        slots = Arrays.stream(slots).filter(s -> s.ssrc != ssrc).toArray(Slot[]::new);
    }

    int watched() {
        return slots.length;
    }
}
