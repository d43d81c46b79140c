package org.conclave.sfu.sctp;

import java.util.ArrayDeque;
import java.util.List;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ErrorChunk;
import org.conclave.sfu.sctp.chunk.UnknownChunk;

/**
 * What the association sends: control chunks queued while a packet is processed or a timer runs, bundled with DATA
 * into as few packets as the MTU allows, and the packets that must travel alone with an explicit tag.
 */
final class Outbox {
    static final int MAX_ERROR_REPORTS_PER_PACKET = 4;
    /** Unrecognized chunks larger than this are not echoed back in reports. */
    static final int MAX_REPORTED_CHUNK_BYTES = 256;

    private final ArrayDeque<Chunk> control = new ArrayDeque<>();
    private final PacketBuilder packet;
    private final SctpAssociation.PacketOut out;
    private int errorReports;

    Outbox(SctpSettings settings, SctpAssociation.PacketOut out) {
        this.packet = new PacketBuilder(settings.mtu(), settings.localPort(), settings.remotePort());
        this.out = out;
    }

    void add(Chunk c) {
        control.add(c);
    }

    void addAll(List<? extends Chunk> chunks) {
        control.addAll(chunks);
    }

    void clear() {
        control.clear();
    }

    int size() {
        return control.size();
    }

    /** Queues an ERROR chunk, at most {@link #MAX_ERROR_REPORTS_PER_PACKET} per received packet. */
    void report(ErrorCause cause) {
        if (errorReports++ < MAX_ERROR_REPORTS_PER_PACKET) control.add(new ErrorChunk(List.of(cause)));
    }

    /** An unrecognized chunk is reported if its type bits ask for it (RFC 9260 §3.2) and it is small enough. */
    void reportUnknown(UnknownChunk u) {
        if (u.action().reports() && u.length() <= MAX_REPORTED_CHUNK_BYTES) {
            report(ErrorCause.unrecognizedChunk(u.raw()));
        }
    }

    /** A new received packet: it may report errors again. */
    void newPacket() {
        errorReports = 0;
    }

    /** A packet with one chunk and an explicit tag (INIT, INIT-ACK, ABORT, SHUTDOWN-COMPLETE, stale-cookie ERROR). */
    void sendAlone(int vtag, Chunk c) {
        packet.begin(vtag);
        if (!packet.fits(c)) return;
        packet.add(c);
        packet.send(out);
    }

    /**
     * Sends the queued control chunks, then (when {@code data} is given) DATA as the windows allow, in as many packets
     * as needed. The TCB first adds what it wants sent now (SACK, FORWARD-TSN, RE-CONFIG).
     */
    void flush(int peerTag, Tcb tcb, boolean sendingAllowed, DataSender data, long now) {
        if (tcb != null) tcb.queueControl(control, sendingAllowed, now);
        while (true) {
            packet.begin(peerTag);
            while (!control.isEmpty()) {
                Chunk c = control.peek();
                if (packet.fits(c)) {
                    packet.add(control.poll());
                } else if (packet.isEmpty()) {
                    control.poll(); // larger than an empty packet: cannot be sent at all
                } else {
                    break;
                }
            }
            if (data != null && control.isEmpty()) data.fill(packet, now);
            if (packet.isEmpty()) break;
            packet.send(out);
        }
    }
}
