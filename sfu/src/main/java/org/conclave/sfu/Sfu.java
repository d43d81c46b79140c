package org.conclave.sfu;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.dtls.DtlsCertificate;
import org.conclave.sfu.forward.MediaWorker;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.sfu.ice.IceCandidates;

/**
 * One SFU instance: one UDP port for every endpoint, one packet thread, one DTLS certificate, and the control
 * service the appservice drives.
 */
public final class Sfu implements AutoCloseable {
    /** Socket buffers large enough to ride out a scheduling hiccup of the packet thread at a few thousand pps. */
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final ConferenceService conferences;
    private final InetSocketAddress bound;
    private final List<String> candidateAddresses;

    private Sfu(DatagramChannel channel, ConferenceService conferences, InetSocketAddress bound,
            List<String> candidateAddresses) {
        this.channel = channel;
        this.conferences = conferences;
        this.bound = bound;
        this.candidateAddresses = candidateAddresses;
    }

    public static Sfu start(SfuConfig config) throws IOException {
        return start(config, NanoClock.SYSTEM);
    }

    public static Sfu start(SfuConfig config, NanoClock clock) throws IOException {
        InetAddress bindAddress = InetAddress.getByName(config.bindAddress());
        DatagramChannel channel = DatagramChannel.open(
                bindAddress instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(new InetSocketAddress(bindAddress, config.udpPort()));
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            List<InetAddress> advertised = new java.util.ArrayList<>();
            for (String a : config.advertisedAddresses()) advertised.add(InetAddress.getByName(a));
            List<InetAddress> candidates = IceCandidates.candidateAddresses(advertised, bindAddress);
            List<String> addresses = candidates.stream().map(InetAddress::getHostAddress).toList();
            DtlsCertificate certificate = DtlsCertificate.generate();
            ConferenceService conferences = new ConferenceService(config, clock,
                    events -> new MediaWorker(channel, clock, events, config.rateControl()), certificate,
                    IceCandidates.hostCandidates(candidates, bound.getPort()));
            return new Sfu(channel, conferences, bound, addresses);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public SfuControl control() {
        return conferences;
    }

    public InetSocketAddress boundAddress() {
        return bound;
    }

    /** The addresses put in our ICE candidates, advertised (NAT) addresses first. */
    public List<String> candidateAddresses() {
        return candidateAddresses;
    }

    public WorkerStats packetStats() {
        return conferences.packetStats();
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
        conferences.close(); // and the packet thread
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
