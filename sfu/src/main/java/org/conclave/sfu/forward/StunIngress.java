package org.conclave.sfu.forward;

import java.net.InetSocketAddress;
import org.conclave.sfu.ice.StunMessages;

/**
 * STUN on the media socket: a binding request is matched to its endpoint by the ufrag it names, answered by that
 * endpoint's ICE-lite agent when authenticated, and the address it came from becomes one of the endpoint's (the only
 * way an address gets media through). An ICE restart's first valid check retires the old ufrag and addresses. Packet
 * thread only.
 */
final class StunIngress {
    private final PacketIo io;
    private final byte[] tx;
    private final WorkerStats stats;
    private final EndpointTable endpoints;
    private final KeyFrameRelay keyFrames;

    StunIngress(PacketIo io, WorkerStats stats, EndpointTable endpoints, KeyFrameRelay keyFrames) {
        this.io = io;
        this.tx = io.tx();
        this.stats = stats;
        this.endpoints = endpoints;
        this.keyFrames = keyFrames;
    }

    /**
     * A STUN datagram in {@code rx} from {@code from}, whose address belongs to {@code known} (or null); {@code mapped}
     * is the client's address as the answer reports it (the same as {@code from} but on ICE-TCP, see
     * {@link TcpConnection#key}).
     */
    void onStun(EndpointMedia known, InetSocketAddress from, InetSocketAddress mapped, byte[] rx, int len, long now) {
        if (!StunMessages.looksLikeStun(rx, 0, len)) {
            stats.malformedDrops++;
            return;
        }
        String ufrag = StunMessages.localUfrag(rx, 0, len);
        EndpointMedia ep = ufrag == null ? null : endpoints.byUfrag(ufrag);
        if (ep == null) {
            stats.stunUnknownUfrag++;
            return;
        }
        // A new address's check costs an HMAC: bounded per endpoint. The client's validated path is never starved.
        if (!ep.ice.isValidated(from) && !ep.stunBudget.take(now)) {
            stats.stunFloodDrops++;
            return;
        }
        String oldUfrag = ep.ice.localCredentials().ufrag();
        int generation = ep.ice.generation();
        boolean wasNominated = ep.ice.isNominated();
        int n = ep.ice.handleBindingRequest(rx, 0, len, from, mapped, tx, 0);
        if (n <= 0) {
            stats.stunRejected++;
            return;
        }
        io.send(n, from);
        boolean restarted = ep.ice.generation() != generation;
        if (restarted) {
            stats.iceRestarts++;
            endpoints.restartCompleted(ep, oldUfrag);
            if (known == ep) known = null;
        }
        if (ep.ice.isValidated(from)) endpoints.validated(ep, known, from);
        InetSocketAddress selected = ep.ice.selectedAddress();
        if (wasNominated && !restarted && selected != null && !selected.equals(ep.sendAddress)) {
            endpoints.moved(ep, selected); // nominated again from a new address: the client moved (it knows)
            stats.addressChanges++;
        }
        ep.sendAddress = selected;
        if (restarted) keyFrames.requestAfterOutage(ep, now);
    }
}
