package org.conclave.bench.load;

/** Everything the generator counted for one window, merged from all pacers and receive loops. */
public final class Measured {
    public final long[] sent;
    public final long[] received;
    public final LatencyHistogram latency = new LatencyHistogram();
    public long sentBytes;
    public long receivedBytes;
    /** Datagrams the generator could not hand to its own socket (its send buffer was full). */
    public long sendDrops;
    /** Pacer ticks that ran more than a tick late: the generator itself could not keep up. */
    public long lateTicks;
    public long srtpFailures;
    /** Decrypted packets that carried no probe. */
    public long foreign;
    /** Probes of a track the receiving participant did not ask for. */
    public long unexpected;
    public long rtcp;
    /** Workers that did not hand over in time (their numbers are missing). */
    public int missingHandovers;

    public Measured(int tracks) {
        sent = new long[tracks];
        received = new long[tracks];
    }
}
