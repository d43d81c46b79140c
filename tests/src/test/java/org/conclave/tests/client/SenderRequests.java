package org.conclave.tests.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.rtcp.Fir;
import org.conclave.sfu.rtcp.Remb;
import org.conclave.sfu.rtcp.RtcpFeedback;
import org.conclave.sfu.rtcp.RtcpKind;
import org.conclave.sfu.rtcp.Tmmbr;

/** What the SFU asked of a {@link JavaPeer} as a sender: key frames (PLI, FIR) and rates (REMB, TMMBR). */
final class SenderRequests {
    /** PLI and FIR packets received. */
    final AtomicInteger keyFrames = new AtomicInteger();
    /** SSRCs a key frame was asked of, until the sender takes them. */
    final Set<Integer> keyFramesWanted = ConcurrentHashMap.newKeySet();
    /** Every REMB and TMMBR, oldest first. */
    final List<JavaPeer.RateRequest> rates = new CopyOnWriteArrayList<>();

    /** One packet of a received RTCP compound; on the receive thread. */
    void onRtcp(byte[] b, int off, int len, RtcpKind kind) {
        switch (kind) {
            case PLI -> {
                keyFrames.incrementAndGet();
                keyFramesWanted.add(RtcpFeedback.mediaSsrc(b, off));
            }
            case FIR -> {
                keyFrames.incrementAndGet();
                for (int i = 0; i < Fir.entryCount(b, off, len); i++) keyFramesWanted.add(Fir.targetSsrc(b, off, i));
            }
            case REMB -> {
                List<Integer> ssrcs = new ArrayList<>();
                for (int i = 0; i < Remb.ssrcCount(b, off); i++) ssrcs.add(Remb.ssrc(b, off, i));
                rates.add(new JavaPeer.RateRequest(System.nanoTime(), "REMB", Remb.bitrate(b, off), List.copyOf(ssrcs)));
            }
            case TMMBR -> {
                for (int i = 0; i < Tmmbr.entryCount(b, off, len); i++) {
                    rates.add(new JavaPeer.RateRequest(System.nanoTime(), "TMMBR", Tmmbr.bitrate(b, off, i),
                            List.of(Tmmbr.ssrc(b, off, i))));
                }
            }
            default -> { }
        }
    }
}
