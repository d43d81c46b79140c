package org.conclave.sfu.sdp;

/** The data channel's SCTP parameters once its m-line is accepted. */
public record SctpParameters(String mid, int remotePort, long remoteMaxMessageSize, int localPort,
                             long localMaxMessageSize) {}
