package org.conclave.sfu;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.config.UdpSend;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.dtls.DtlsCertificate;
import org.conclave.sfu.forward.MediaWorker;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.sfu.ice.IceCandidates;
import org.conclave.sfu.ops.GatedControl;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * One SFU instance: its packet threads, each with its own UDP port ({@code udp_port + i}), the ICE-TCP port shared
 * by all of them, one DTLS certificate, and the control service the appservice drives.
 */
public final class Sfu implements AutoCloseable {
    /** Socket buffers large enough to ride out a scheduling hiccup of the packet thread at a few thousand pps. */
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private final List<DatagramChannel> channels;
    /** Null without ICE-TCP. */
    private final ServerSocketChannel tcpServer;
    private final ConferenceService conferences;
    private final GatedControl control;
    private final InetSocketAddress bound;
    private final List<String> candidateAddresses;

    private Sfu(List<DatagramChannel> channels, ServerSocketChannel tcpServer, ConferenceService conferences,
            InetSocketAddress bound, List<String> candidateAddresses) {
        this.channels = channels;
        this.tcpServer = tcpServer;
        this.conferences = conferences;
        this.control = new GatedControl(conferences);
        this.bound = bound;
        this.candidateAddresses = candidateAddresses;
    }

    public static Sfu start(SfuConfig config) throws IOException {
        return start(config, NanoClock.SYSTEM);
    }

    public static Sfu start(SfuConfig config, NanoClock clock) throws IOException {
        InetAddress bindAddress = InetAddress.getByName(config.bindAddress());
        List<DatagramChannel> channels = new java.util.ArrayList<>();
        ServerSocketChannel tcpServer = null;
        try {
            for (int i = 0; i < config.effectivePacketThreads(); i++) {
                DatagramChannel channel = DatagramChannel.open(bindAddress instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channels.add(channel);
                channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
                // A port per thread: a client's datagrams reach the thread that owns its endpoint, no hand-off.
                channel.bind(new InetSocketAddress(bindAddress, config.udpPort() == 0 ? 0 : config.udpPort() + i));
            }
            InetSocketAddress bound = (InetSocketAddress) channels.get(0).getLocalAddress();
            List<InetAddress> advertised = new java.util.ArrayList<>();
            for (String a : config.advertisedAddresses()) advertised.add(InetAddress.getByName(a));
            List<InetAddress> candidates = IceCandidates.candidateAddresses(advertised, bindAddress);
            List<String> addresses = candidates.stream().map(InetAddress::getHostAddress).toList();
            tcpServer = openTcp(config, bindAddress);
            ServerSocketChannel tcp = tcpServer;
            List<String> tcpLines = tcp == null ? List.of()
                    : IceCandidates.tcpPassiveCandidates(candidates, ((InetSocketAddress) tcp.getLocalAddress()).getPort());
            DtlsCertificate certificate = DtlsCertificate.generate();
            SrtpSession.warmUp(); // off the packet thread: jitsi-srtp's first cipher loads every AES backend
            ConferenceService conferences = new ConferenceService(config, clock,
                    events -> new MediaWorker(channels, tcp, config.iceTcp(), clock, events, config.rateControl(),
                            config.maxEndpointsPerThread(), config.udpSend() == UdpSend.GSO), certificate,
                    port -> concat(IceCandidates.hostCandidates(candidates, port), tcpLines));
            return new Sfu(channels, tcp, conferences, bound, addresses);
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel c : channels) c.close();
            if (tcpServer != null) tcpServer.close();
            throw e;
        }
    }

    /** The ICE-TCP port, bound; null when sfu.ice_tcp_enabled is false. */
    private static ServerSocketChannel openTcp(SfuConfig config, InetAddress bindAddress) throws IOException {
        if (!config.iceTcp().enabled()) return null;
        ServerSocketChannel server = ServerSocketChannel.open(bindAddress instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(bindAddress, config.iceTcp().effectivePort(config.udpPort())), 256);
            return server;
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen for ICE-TCP on port "
                    + config.iceTcp().effectivePort(config.udpPort()) + " (sfu.ice_tcp_port): " + e.getMessage(), e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The control contract, behind the admission gate that draining closes. */
    public SfuControl control() {
        return control;
    }

    /** Drain, counters of the contract, the live endpoints' directory (operators: metrics, admin API). */
    public GatedControl operations() {
        return control;
    }

    /** A snapshot of every endpoint's media counters, taken on the packet thread and handed to {@code sink}. */
    public void sampleMedia(java.util.function.Consumer<org.conclave.sfu.forward.MediaSample> sink) {
        conferences.sampleMedia(sink);
    }

    /** The first packet thread's address (with one packet thread, the one media port). */
    public InetSocketAddress boundAddress() {
        return bound;
    }

    /** Every packet thread's address, by thread index: the range of UDP ports clients reach. */
    public List<InetSocketAddress> boundAddresses() throws IOException {
        List<InetSocketAddress> all = new java.util.ArrayList<>();
        for (DatagramChannel c : channels) all.add((InetSocketAddress) c.getLocalAddress());
        return all;
    }

    /** The ICE-TCP listener's address, or null when ICE-TCP is off. */
    public InetSocketAddress tcpAddress() {
        try {
            return tcpServer == null ? null : (InetSocketAddress) tcpServer.getLocalAddress();
        } catch (IOException e) {
            return null; // closed
        }
    }

    /** ICE-TCP connections accepted and closed, by reason. */
    public org.conclave.sfu.forward.IceTcpStats tcpStats() {
        return conferences.tcpStats();
    }

    /** The addresses put in our ICE candidates, advertised (NAT) addresses first. */
    public List<String> candidateAddresses() {
        return candidateAddresses;
    }

    public WorkerStats packetStats() {
        return conferences.packetStats();
    }

    /**
     * What the end-to-end-encryption check did, per endpoint of the conferences that require it: frames forwarded
     * and refused, packets refused, streams held (plain data for the admin view and metrics; sum per conference with
     * {@link org.conclave.sfu.e2ee.E2eeConferenceStats#of}).
     */
    public java.util.concurrent.CompletionStage<java.util.List<org.conclave.sfu.e2ee.E2eeEndpointStats>> e2eeStats() {
        return conferences.e2eeStats();
    }

    /** Diagnostics only: sees every decrypted (hop-by-hop) RTP packet on the packet thread; null to remove. */
    public void setPacketTap(org.conclave.sfu.forward.PacketTap tap) {
        conferences.setPacketTap(tap);
    }

    public ConferenceService conferences() {
        return conferences;
    }

    @Override
    public void close() {
        conferences.close(); // and the packet threads
        if (tcpServer != null) {
            try {
                tcpServer.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
        for (DatagramChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
