package org.conclave.bench.kernel;

/**
 * What the packet thread sends in one turn of its loop. {@code fanout:K:N}: N incoming packets, each forwarded to K
 * receivers (a meeting: every participant's packets to every other), then the batch ends. {@code burst:K:N}: N packets
 * of one video frame to one receiver (the next receiver each turn, among K), then the batch ends.
 */
record Pattern(boolean fanout, int receivers, int n) {

    static Pattern parse(String s) {
        String[] f = s.split(":");
        if (f.length != 3 || !(f[0].equals("fanout") || f[0].equals("burst"))) {
            throw new IllegalArgumentException("pattern: fanout:K:N or burst:K:N, not " + s);
        }
        Pattern p = new Pattern(f[0].equals("fanout"), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        if (p.receivers < 1 || p.n < 1 || p.n > NettySender.RING) { // N per receiver per batch, in either pattern
            throw new IllegalArgumentException("pattern " + s + ": K >= 1 and 1 <= N <= " + NettySender.RING);
        }
        return p;
    }

    /** One turn; returns the datagrams sent. Each copy differs by a byte, as each receiver's SRTP output does. */
    int turn(Sender s, byte[] tx, int len, long turnNo) {
        if (fanout) {
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < receivers; r++) {
                    tx[len - 1] = (byte) r;
                    s.queue(tx, len, r);
                }
            }
            s.flush();
            return n * receivers;
        }
        int r = (int) (turnNo % receivers);
        for (int i = 0; i < n; i++) {
            tx[len - 1] = (byte) i;
            s.queue(tx, len, r);
        }
        s.flush();
        return n;
    }

    @Override
    public String toString() {
        return (fanout ? "fanout:" : "burst:") + receivers + ":" + n;
    }

    String describe() {
        return fanout
                ? "each incoming packet to " + receivers + " receivers, " + n + " incoming packet(s) per batch"
                : "bursts of " + n + " packets to one receiver (" + receivers + " receivers in turn), a burst per batch";
    }
}
