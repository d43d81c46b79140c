/**
 * SCTP over DTLS (RFC 8261) for WebRTC data channels (RFC 8831) with DCEP (RFC 8832): the subset of RFC 9260, RFC 3758
 * (partial reliability) and RFC 6525 (stream reset) that browsers, libwebrtc and aiortc use.
 *
 * <p>Pipeline: {@link org.conclave.sfu.sctp.chunk.SctpPacket} parses a packet from DTLS into chunks;
 * {@link org.conclave.sfu.sctp.SctpAssociation} is the state machine and dispatches them — {@code Handshake} (tags,
 * INIT, cookies, collisions, T1), {@code Shutdown} (SHUTDOWN sequence, T2), and once the peer is known the {@code Tcb}:
 * {@code DataReceiver} ({@code TsnTracker} + {@code ReassemblyQueue}, delayed SACK), {@code DataSender}
 * ({@code SendQueue} → {@code OutstandingData}, {@code CongestionControl}, T3-rtx, FORWARD-TSN), {@code RtoEstimator},
 * {@code StreamResetter}, {@code Heartbeat} and the count of unanswered retransmissions — and {@code Channels} turns
 * messages into DCEP and {@link org.conclave.sfu.sctp.DataChannel} events. Output goes through {@code Outbox} and
 * {@code PacketBuilder} to {@link org.conclave.sfu.sctp.SctpAssociation.PacketOut}.
 *
 * <p>Bounds on what a peer can make us hold: {@code SctpAssociation.MAX_STREAMS} streams (and channels),
 * {@code TsnTracker.WINDOW} TSNs above the cumulative point, {@code ReassemblyQueue.MAX_BUFFERED_BYTES} and
 * {@code MAX_BUFFERED_PIECES}, {@code TsnTracker.MAX_GAP_BLOCKS}/{@code MAX_DUPLICATES} per SACK,
 * {@code Outbox.MAX_ERROR_REPORTS_PER_PACKET}; on the send side {@code DataSender.MAX_BUFFERED_BYTES} and
 * {@code MAX_QUEUED_MESSAGES}.
 *
 * <p>Not implemented: I-DATA message interleaving (RFC 8260), channel priorities in scheduling, association restart
 * (RFC 9260 §5.2.4 A), Incoming SSN / SSN-TSN / add-streams reset requests (answered "denied"), the zero-checksum
 * extension (RFC 9653), gap-ack reneging, multi-homing (meaningless over DTLS).
 */
package org.conclave.sfu.sctp;
