package org.conclave.sfu.forward;

import org.conclave.sfu.rtp.SeqTsRewriter;

/**
 * One source as one receiver sees it: the receiver's payload type and header extension ids, and the sequence and
 * timestamp rewriting that keeps the receiver's stream continuous. Owned by the packet thread.
 */
final class OutgoingStream {
    final EndpointMedia receiver;
    final SourceRoute route;
    final int outSsrc;
    /** sender pt -> receiver pt, -1 where the receiver has no such codec. */
    final byte[] payloadTypes;
    /** sender extension id -> receiver extension id, 0 to blank the element out. */
    final byte[] extensionIds;
    final SeqTsRewriter rewriter;
    /** This receiver's share of key-frame requests for this source (a storm from one receiver is cut off). */
    final org.conclave.sfu.bwe.KeyFrameBudget keyFrameBudget =
            new org.conclave.sfu.bwe.KeyFrameBudget(org.conclave.sfu.bwe.KeyFrameOptions.DEFAULTS);
    /** What the receiver asked for (its subscription); thumbnails unless it asked for more. */
    org.conclave.sfu.control.VideoQuality wanted = org.conclave.sfu.control.VideoQuality.THUMBNAIL;
    long packetsSent;
    long bytesSent;
    /** Whether a packet has gone out yet: sender reports are translated only after the timestamp offset is set. */
    boolean started;
    /** The input SSRC of the last packet forwarded on this stream. */
    int lastInputSsrc;

    OutgoingStream(EndpointMedia receiver, SourceRoute route, byte[] payloadTypes, byte[] extensionIds,
            SeqTsRewriter rewriter) {
        this.receiver = receiver;
        this.route = route;
        this.outSsrc = (int) route.source.outSsrc();
        this.payloadTypes = payloadTypes;
        this.extensionIds = extensionIds;
        this.rewriter = rewriter;
    }
}
