package org.conclave.sfu.forward;

/** A source's pipe to one other thread: the ring there and the mirror it feeds (a token here). */
record PipeOut(PipeRing ring, SourceRoute mirror) {
    /** Hands the decrypted packet in {@code rx} to the other thread, once for all its viewers. */
    void sendMedia(byte[] rx, int len, int layer, int transportCcAt, WorkerStats stats) {
        int slot = ring.claim(PipeRing.MEDIA, mirror, layer, transportCcAt, 0);
        if (slot < 0) {
            stats.pipeDrops++;
            return;
        }
        System.arraycopy(rx, 0, ring.buffer(slot), 0, len);
        ring.publish(slot, len);
        ring.produced = true;
        stats.pipedOut++;
    }

    void sendSenderReport(long ntp, long rtpTimestamp) {
        ring.produced |= ring.offer(PipeRing.SENDER_REPORT, mirror, 0, ntp, rtpTimestamp);
    }
}
