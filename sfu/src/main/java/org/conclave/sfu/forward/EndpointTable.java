package org.conclave.sfu.forward;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.conclave.sfu.ice.IceCredentials;

/**
 * The endpoints of one packet thread, found by id (control tasks), by the ufrag of a STUN check (ICE), and by the
 * address a datagram came from (every media packet: only addresses an authenticated check validated are here).
 * Packet thread only.
 */
final class EndpointTable {
    private static final EndpointMedia[] NONE = new EndpointMedia[0];

    private final Map<String, EndpointMedia> byId = new HashMap<>();
    private final Map<String, EndpointMedia> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, EndpointMedia> byAddress = new HashMap<>();
    /** The same endpoints as an array, so the timers iterate without allocating. */
    private EndpointMedia[] all = NONE;

    void add(EndpointMedia ep) {
        if (byId.putIfAbsent(ep.id, ep) != null) return;
        byUfrag.put(ep.localUfrag, ep);
        all = Arrays.copyOf(all, all.length + 1);
        all[all.length - 1] = ep;
    }

    /** Forgets an endpoint with its ufrags and addresses. @return it, or null if unknown */
    EndpointMedia remove(String id) {
        EndpointMedia ep = byId.remove(id);
        if (ep == null) return null;
        byUfrag.remove(ep.ice.localCredentials().ufrag(), ep);
        if (ep.ice.pendingCredentials() != null) byUfrag.remove(ep.ice.pendingCredentials().ufrag(), ep);
        forgetAddresses(ep);
        all = Arrays.stream(all).filter(e -> e != ep).toArray(EndpointMedia[]::new);
        return ep;
    }

    EndpointMedia get(String id) {
        return byId.get(id);
    }

    EndpointMedia byAddress(InetSocketAddress from) {
        return byAddress.get(from);
    }

    EndpointMedia byUfrag(String ufrag) {
        return byUfrag.get(ufrag);
    }

    /** Every endpoint; the array is replaced, never changed, so a caller may iterate while tasks add or remove. */
    EndpointMedia[] all() {
        return all;
    }

    int size() {
        return all.length;
    }

    /** The client restarts ICE: its checks with the SFU's new credentials are accepted from now on. */
    void restartIce(EndpointMedia ep, IceCredentials credentials) {
        IceCredentials unused = ep.ice.pendingCredentials();
        if (unused != null) byUfrag.remove(unused.ufrag(), ep);
        ep.ice.restart(credentials);
        byUfrag.put(credentials.ufrag(), ep);
    }

    /** An ICE restart completed: the old ufrag and the addresses validated with it stop being accepted. */
    void restartCompleted(EndpointMedia ep, String oldUfrag) {
        byUfrag.remove(oldUfrag, ep);
        forgetAddresses(ep);
    }

    /**
     * An authenticated check from {@code from} validated it for {@code ep}: datagrams from there are {@code ep}'s
     * (taken from {@code previous}, the endpoint that had the address, if any). Each endpoint keeps its latest
     * {@link EndpointMedia#MAX_ADDRESSES}.
     */
    void validated(EndpointMedia ep, EndpointMedia previous, InetSocketAddress from) {
        if (previous == ep) return;
        if (previous != null) previous.addresses.remove(from);
        byAddress.put(from, ep);
        InetSocketAddress forgotten = ep.addAddress(from);
        if (forgotten != null) byAddress.remove(forgotten, ep);
    }

    /**
     * Media came from {@code to}, another of {@code ep}'s validated addresses than the one it is sent to: the client
     * moved (NAT rebinding, a network change without an ICE restart). Media follows it; the addresses it left stop
     * being accepted. Rare (once per move): allocation is fine here.
     */
    void moved(EndpointMedia ep, InetSocketAddress to) {
        if (!ep.ice.moveTo(to)) return;
        for (InetSocketAddress a : ep.addresses.toArray(InetSocketAddress[]::new)) {
            if (!a.equals(to)) {
                ep.addresses.remove(a);
                byAddress.remove(a, ep);
            }
        }
        ep.sendAddress = ep.ice.selectedAddress();
    }

    /**
     * One of {@code ep}'s paths is gone (its ICE-TCP connection closed): datagrams keyed by {@code address} are no longer
     * its, and media goes to another validated address, if it has one.
     */
    void lost(EndpointMedia ep, InetSocketAddress address) {
        ep.ice.forget(address);
        ep.addresses.remove(address);
        byAddress.remove(address, ep);
        ep.sendAddress = ep.ice.selectedAddress();
    }

    private void forgetAddresses(EndpointMedia ep) {
        for (InetSocketAddress a : ep.addresses) byAddress.remove(a, ep);
        ep.addresses.clear();
    }
}
