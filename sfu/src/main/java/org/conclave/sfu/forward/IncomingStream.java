package org.conclave.sfu.forward;

import org.conclave.sfu.rtp.ReceiveStatistics;

/** One SSRC a client sends to us, bound to the source (m-line) it belongs to. Owned by the packet thread. */
final class IncomingStream {
    final int ssrc;
    final SourceRoute route;
    final ReceiveStatistics stats;
    /** Created on first use in conferences that require end-to-end encryption. */
    org.conclave.sfu.e2ee.E2eeGuard e2ee;
    long packets;
    long bytes;

    IncomingStream(int ssrc, SourceRoute route, ReceiveStatistics stats) {
        this.ssrc = ssrc;
        this.route = route;
        this.stats = stats;
    }
}
