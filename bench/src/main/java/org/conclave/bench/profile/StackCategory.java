package org.conclave.bench.profile;

import java.util.List;

/**
 * Where a packet thread's CPU sample belongs: the innermost frame of the stack that names a known piece of per-packet
 * work decides (a sample inside AES under SrtpSession.protectRtp is "SRTP encrypt").
 */
enum StackCategory {
    SRTP_DECRYPT("SRTP decrypt (unprotect)", "SrtpSession.unprotectRtp", "SrtpSession.unprotectRtcp"),
    SRTP_ENCRYPT("SRTP encrypt (protect)", "SrtpSession.protectRtp", "SrtpSession.protectRtcp"),
    UDP_SEND("UDP send: JDK + syscall + kernel delivery", "DatagramChannelImpl.send", "DatagramChannelImpl.write"),
    UDP_RECEIVE("UDP receive: JDK + syscall", "DatagramChannelImpl.receive", "DatagramChannelImpl.read"),
    SELECT("selector wait/wakeup (epoll)", "SelectorImpl.select", "EPollSelectorImpl"),
    RTP_REWRITE("RTP header rewrite (seq/ts/ssrc/pt/extensions)", "SeqTsRewriter", "HeaderExtensions",
            "RtpPacket.set"),
    RECEIVE_STATS("receive statistics", "ReceiveStatistics"),
    RTCP("RTCP handling", "onRtcp", "RtcpCompound", "SenderReport", "ReceiverReport"),
    STUN_DTLS("STUN / DTLS", "onStun", "StunMessage", "IceLiteAgent", "DtlsSession", "QueueDatagramTransport"),
    LOOKUP("endpoint/route lookup (maps, SSRC tables)", "HashMap.get", "EndpointMedia.incoming",
            "SsrcRoutes", "SsrcTable"),
    CONTROL_TASKS("control tasks on the packet thread", "runTasks", "housekeeping"),
    OTHER("other");

    final String label;
    final List<String> patterns;

    StackCategory(String label, String... patterns) {
        this.label = label;
        this.patterns = List.of(patterns);
    }

    /** The category of a stack given root first. */
    static StackCategory of(List<String> framesRootFirst) {
        for (int i = framesRootFirst.size() - 1; i >= 0; i--) {
            String f = framesRootFirst.get(i).replace('/', '.');
            for (StackCategory c : values()) {
                for (String p : c.patterns) {
                    if (f.contains(p)) return c;
                }
            }
        }
        return OTHER;
    }
}
