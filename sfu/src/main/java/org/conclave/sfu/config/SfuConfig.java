package org.conclave.sfu.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The SFU's settings: section {@code sfu:} of the configuration file, each key overridable by
 * {@code CONCLAVE_SFU_<KEY>}. Immutable; the constructor enforces every rule (see docs/operators.md).
 *
 * @param bindAddress local IP the media socket binds to
 * @param udpPort the one UDP port all endpoints share (0 = ephemeral, for tests)
 * @param advertisedAddresses IPs or host names put first in candidates, for NAT (empty: local addresses only)
 * @param maxEndpoints endpoints the SFU accepts in total
 * @param maxEndpointsPerConference endpoints one conference may have (the total limit applies as well)
 * @param iceConnectTimeoutMs time from the answer to the first authenticated ICE check
 * @param iceConsentTimeoutMs silence after which a connected client is considered gone (RFC 7675)
 * @param dtlsHandshakeTimeoutMs time the DTLS handshake may take once ICE is up
 * @param packetThreads packet threads, each with its own UDP port ({@code udpPort + i}); 0 = one per core
 * @param maxEndpointsPerThread endpoints placed on one packet thread before a conference spills over to another
 * @param handshakePacketsPerSecond per endpoint: STUN binding requests, and DTLS datagrams until its handshake is
 *     done, beyond which the rest are dropped before any work (floods)
 * @param rateControl rate control, layer, key-frame and NACK limits ({@link RateControlConfig})
 * @param room conference control over data channels: waiting room, speaker detection ({@link RoomConfig})
 * @param signaling when unanswered offers are made again, data-channel keep-alive ({@link SignalingConfig})
 * @param iceTcp ICE-TCP: passive TCP candidates on one TCP port ({@link IceTcpConfig})
 * @param udpSend how packet threads send UDP: one system call per datagram, or batched per turn with UDP GSO
 */
public record SfuConfig(
        String bindAddress,
        int udpPort,
        List<String> advertisedAddresses,
        int maxEndpoints,
        int maxEndpointsPerConference,
        int iceConnectTimeoutMs,
        int iceConsentTimeoutMs,
        int dtlsHandshakeTimeoutMs,
        int packetThreads,
        int maxEndpointsPerThread,
        int handshakePacketsPerSecond,
        RateControlConfig rateControl,
        org.conclave.sfu.room.RoomOptions room,
        SignalingConfig signaling,
        IceTcpConfig iceTcp,
        UdpSend udpSend) {

    public static final String SECTION = "sfu";

    public static final String BIND_ADDRESS = "bind_address";
    public static final String UDP_PORT = "udp_port";
    public static final String ADVERTISED_ADDRESSES = "advertised_addresses";
    public static final String MAX_ENDPOINTS = "max_endpoints";
    public static final String MAX_ENDPOINTS_PER_CONFERENCE = "max_endpoints_per_conference";
    public static final String ICE_CONNECT_TIMEOUT_MS = "ice_connect_timeout_ms";
    public static final String ICE_CONSENT_TIMEOUT_MS = "ice_consent_timeout_ms";
    public static final String DTLS_HANDSHAKE_TIMEOUT_MS = "dtls_handshake_timeout_ms";
    public static final String PACKET_THREADS = "packet_threads";
    public static final String MAX_ENDPOINTS_PER_THREAD = "max_endpoints_per_thread";
    public static final String HANDSHAKE_PACKETS_PER_SECOND = "handshake_packets_per_second";

    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_UDP_PORT = 10000;
    public static final List<String> DEFAULT_ADVERTISED_ADDRESSES = List.of();
    public static final int DEFAULT_MAX_ENDPOINTS = 500;
    public static final int DEFAULT_MAX_ENDPOINTS_PER_CONFERENCE = 100;
    public static final int DEFAULT_ICE_CONNECT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_ICE_CONSENT_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_DTLS_HANDSHAKE_TIMEOUT_MS = 10_000;
    /** 0: one packet thread per core the JVM sees. */
    public static final int DEFAULT_PACKET_THREADS = 0;
    public static final int DEFAULT_MAX_ENDPOINTS_PER_THREAD = 400;
    public static final int MAX_PACKET_THREADS = 256;
    /** A browser's ICE checks and DTLS flights come to a few dozen a second at most, retransmissions included. */
    public static final int DEFAULT_HANDSHAKE_PACKETS_PER_SECOND = 100;

    /** Bounds: wide enough for tests with short timeouts, narrow enough to catch a unit mistake (seconds vs ms). */
    public static final int MAX_PORT = 65_535;
    public static final int MAX_ENDPOINTS_LIMIT = 100_000;
    public static final int MIN_TIMEOUT_MS = 100;
    public static final int MAX_TIMEOUT_MS = 600_000;

    public SfuConfig {
        new ConfigValidator(SECTION)
                .ipAddress(BIND_ADDRESS, bindAddress)
                .range(UDP_PORT, udpPort, 0, MAX_PORT)
                .hostsOrIps(ADVERTISED_ADDRESSES, advertisedAddresses)
                .range(MAX_ENDPOINTS, maxEndpoints, 1, MAX_ENDPOINTS_LIMIT)
                // Not tied to max_endpoints: lowering the total alone must not turn a valid file invalid.
                .range(MAX_ENDPOINTS_PER_CONFERENCE, maxEndpointsPerConference, 1, MAX_ENDPOINTS_LIMIT)
                .range(ICE_CONNECT_TIMEOUT_MS, iceConnectTimeoutMs, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)
                .range(ICE_CONSENT_TIMEOUT_MS, iceConsentTimeoutMs, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)
                .range(DTLS_HANDSHAKE_TIMEOUT_MS, dtlsHandshakeTimeoutMs, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)
                .range(PACKET_THREADS, packetThreads, 0, MAX_PACKET_THREADS)
                .range(MAX_ENDPOINTS_PER_THREAD, maxEndpointsPerThread, 1, MAX_ENDPOINTS_LIMIT)
                .range(HANDSHAKE_PACKETS_PER_SECOND, handshakePacketsPerSecond, 10, 100_000)
                .require(udpPort <= 0 || udpPort > MAX_PORT || packetThreads < 0
                        || packetThreads > MAX_PACKET_THREADS
                        || (long) udpPort + resolveThreads(packetThreads) - 1 <= MAX_PORT, PACKET_THREADS,
                        "each packet thread needs its own port, udp_port .. udp_port + packet_threads - 1, and those "
                        + "must not exceed " + MAX_PORT + " (udp_port is " + udpPort + ", packet threads "
                        + resolveThreads(packetThreads) + "): lower udp_port")
                .throwIfInvalid();
        advertisedAddresses = List.copyOf(advertisedAddresses);
        if (rateControl == null) rateControl = RateControlConfig.defaults();
        if (room == null) room = org.conclave.sfu.room.RoomOptions.DEFAULTS;
        if (signaling == null) signaling = SignalingConfig.defaults();
        if (iceTcp == null) iceTcp = IceTcpConfig.defaults();
        if (udpSend == null) udpSend = UdpSend.DEFAULT;
    }

    /** Sending UDP the default way ({@link UdpSend#DEFAULT}). */
    public SfuConfig(String bindAddress, int udpPort, List<String> advertisedAddresses, int maxEndpoints,
            int maxEndpointsPerConference, int iceConnectTimeoutMs, int iceConsentTimeoutMs, int dtlsHandshakeTimeoutMs,
            int packetThreads, int maxEndpointsPerThread, int handshakePacketsPerSecond, RateControlConfig rateControl,
            org.conclave.sfu.room.RoomOptions room, SignalingConfig signaling, IceTcpConfig iceTcp) {
        this(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference, iceConnectTimeoutMs,
                iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread,
                handshakePacketsPerSecond, rateControl, room, signaling, iceTcp, UdpSend.DEFAULT);
    }

    /** Without ICE-TCP settings: the defaults. */
    public SfuConfig(String bindAddress, int udpPort, List<String> advertisedAddresses, int maxEndpoints,
            int maxEndpointsPerConference, int iceConnectTimeoutMs, int iceConsentTimeoutMs, int dtlsHandshakeTimeoutMs,
            int packetThreads, int maxEndpointsPerThread, int handshakePacketsPerSecond, RateControlConfig rateControl,
            org.conclave.sfu.room.RoomOptions room, SignalingConfig signaling) {
        this(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference, iceConnectTimeoutMs,
                iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread,
                handshakePacketsPerSecond, rateControl, room, signaling, IceTcpConfig.defaults());
    }

    public static SfuConfig defaults() {
        return new SfuConfig(DEFAULT_BIND_ADDRESS, DEFAULT_UDP_PORT, DEFAULT_ADVERTISED_ADDRESSES, DEFAULT_MAX_ENDPOINTS,
                DEFAULT_MAX_ENDPOINTS_PER_CONFERENCE, DEFAULT_ICE_CONNECT_TIMEOUT_MS, DEFAULT_ICE_CONSENT_TIMEOUT_MS,
                DEFAULT_DTLS_HANDSHAKE_TIMEOUT_MS, DEFAULT_PACKET_THREADS, DEFAULT_MAX_ENDPOINTS_PER_THREAD, DEFAULT_HANDSHAKE_PACKETS_PER_SECOND,
                RateControlConfig.defaults(), org.conclave.sfu.room.RoomOptions.DEFAULTS, SignalingConfig.defaults(),
                IceTcpConfig.defaults());
    }

    /**
     * Reads section {@code sfu} of a source. Returns null only when problems were recorded, which
     * {@link ConfigSource#finish} then throws: call it before using the result.
     */
    public static SfuConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        String bindAddress = s.string(BIND_ADDRESS, DEFAULT_BIND_ADDRESS);
        int udpPort = s.integer(UDP_PORT, DEFAULT_UDP_PORT);
        List<String> advertised = s.stringList(ADVERTISED_ADDRESSES, DEFAULT_ADVERTISED_ADDRESSES);
        int maxEndpoints = s.integer(MAX_ENDPOINTS, DEFAULT_MAX_ENDPOINTS);
        int perConference = s.integer(MAX_ENDPOINTS_PER_CONFERENCE, DEFAULT_MAX_ENDPOINTS_PER_CONFERENCE);
        int connectMs = s.integer(ICE_CONNECT_TIMEOUT_MS, DEFAULT_ICE_CONNECT_TIMEOUT_MS);
        int consentMs = s.integer(ICE_CONSENT_TIMEOUT_MS, DEFAULT_ICE_CONSENT_TIMEOUT_MS);
        int dtlsMs = s.integer(DTLS_HANDSHAKE_TIMEOUT_MS, DEFAULT_DTLS_HANDSHAKE_TIMEOUT_MS);
        int threads = s.integer(PACKET_THREADS, DEFAULT_PACKET_THREADS);
        int perThread = s.integer(MAX_ENDPOINTS_PER_THREAD, DEFAULT_MAX_ENDPOINTS_PER_THREAD);
        int handshakePps = s.integer(HANDSHAKE_PACKETS_PER_SECOND, DEFAULT_HANDSHAKE_PACKETS_PER_SECOND);
        RateControlConfig rateControl = RateControlConfig.read(s);
        org.conclave.sfu.room.RoomOptions room = RoomConfig.read(s);
        SignalingConfig signaling = SignalingConfig.read(s);
        IceTcpConfig iceTcp = IceTcpConfig.read(s);
        String udpSend = s.string(UdpSend.KEY, UdpSend.DEFAULT.configName());
        return s.build(() -> new SfuConfig(bindAddress, udpPort, advertised, maxEndpoints, perConference,
                connectMs, consentMs, dtlsMs, threads, perThread, handshakePps, rateControl, room, signaling, iceTcp,
                udpSendMode(udpSend)));
    }

    /** Loads a file that holds only an {@code sfu:} section, with environment overrides. */
    public static SfuConfig load(Path file, Map<String, String> env) {
        return finish(ConfigSource.fromFile(file, env));
    }

    /** Same as {@link #load} from YAML text (tests, embedding). */
    public static SfuConfig fromYaml(String yaml, Map<String, String> env) {
        return finish(ConfigSource.fromYaml(yaml, "<yaml>", env));
    }

    public SfuConfig withBindAddress(String value) {
        return new SfuConfig(value, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withUdpPort(int value) {
        return new SfuConfig(bindAddress, value, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withAdvertisedAddresses(List<String> value) {
        return new SfuConfig(bindAddress, udpPort, value, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withMaxEndpoints(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, value, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withMaxEndpointsPerConference(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, value,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withIceConnectTimeoutMs(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                value, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withIceConsentTimeoutMs(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, value, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withDtlsHandshakeTimeoutMs(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, value, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond, rateControl,
                room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withSignaling(SignalingConfig value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, value, iceTcp, udpSend);
    }

    public SfuConfig withPacketThreads(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, value, maxEndpointsPerThread, handshakePacketsPerSecond,
                rateControl, room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withMaxEndpointsPerThread(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, value, handshakePacketsPerSecond, rateControl,
                room, signaling, iceTcp, udpSend);
    }

    public SfuConfig withHandshakePacketsPerSecond(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread,
                value, rateControl, room, signaling, iceTcp, udpSend);
    }

    /** {@link #packetThreads}, with 0 resolved to the number of cores. */
    public int effectivePacketThreads() {
        return resolveThreads(packetThreads);
    }

    private static int resolveThreads(int configured) {
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public SfuConfig withRoom(org.conclave.sfu.room.RoomOptions value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread,
                handshakePacketsPerSecond, rateControl, value, signaling, iceTcp, udpSend);
    }

    public SfuConfig withIceTcp(IceTcpConfig value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread,
                handshakePacketsPerSecond, rateControl, room, signaling, value, udpSend);
    }

    public SfuConfig withUdpSend(UdpSend value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, packetThreads, maxEndpointsPerThread,
                handshakePacketsPerSecond, rateControl, room, signaling, iceTcp, value);
    }

    private static UdpSend udpSendMode(String value) {
        UdpSend mode = UdpSend.parse(value);
        new ConfigValidator(SECTION).check(mode != null, UdpSend.KEY, "must be " + UdpSend.names(), value)
                .throwIfInvalid();
        return mode;
    }

    private static SfuConfig finish(ConfigSource source) {
        SfuConfig config = read(source);
        source.finish();
        return config;
    }
}
