package org.conclave.sfu.dtls;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** One direction of an in-memory, optionally lossy network between two sessions. */
final class Link implements PacketSender {
    /** Decides, per datagram (numbered from 0), whether the network loses it. */
    interface DropRule {
        boolean drop(int index, byte[] datagram);
    }

    static final DropRule NO_LOSS = (i, d) -> false;

    private final DropRule rule;
    private volatile DtlsSession to;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    Link(DropRule rule) {
        this.rule = rule;
    }

    void connect(DtlsSession to) {
        this.to = to;
    }

    @Override
    public void send(byte[] b, int off, int len) {
        byte[] d = Arrays.copyOfRange(b, off, off + len);
        int i = sent.getAndIncrement();
        if (rule.drop(i, d)) {
            dropped.incrementAndGet();
            return;
        }
        DtlsSession target = to;
        if (target != null) {
            target.receive(d, 0, d.length);
        }
    }

    /** True for a handshake record of epoch 1: the encrypted Finished message. */
    static boolean isFinished(byte[] d) {
        return d.length > 13 && d[0] == 22 && d[3] == 0 && d[4] == 1;
    }
}
