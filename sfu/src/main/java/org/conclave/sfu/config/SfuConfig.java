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
 * @param rateControl rate control, layer, key-frame and NACK limits ({@link RateControlConfig})
 * @param room conference control over data channels: waiting room, speaker detection ({@link RoomConfig})
 * @param signaling when unanswered offers are made again, data-channel keep-alive ({@link SignalingConfig})
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
        RateControlConfig rateControl,
        org.conclave.sfu.room.RoomOptions room,
        SignalingConfig signaling) {

    public static final String SECTION = "sfu";

    public static final String BIND_ADDRESS = "bind_address";
    public static final String UDP_PORT = "udp_port";
    public static final String ADVERTISED_ADDRESSES = "advertised_addresses";
    public static final String MAX_ENDPOINTS = "max_endpoints";
    public static final String MAX_ENDPOINTS_PER_CONFERENCE = "max_endpoints_per_conference";
    public static final String ICE_CONNECT_TIMEOUT_MS = "ice_connect_timeout_ms";
    public static final String ICE_CONSENT_TIMEOUT_MS = "ice_consent_timeout_ms";
    public static final String DTLS_HANDSHAKE_TIMEOUT_MS = "dtls_handshake_timeout_ms";

    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_UDP_PORT = 10000;
    public static final List<String> DEFAULT_ADVERTISED_ADDRESSES = List.of();
    public static final int DEFAULT_MAX_ENDPOINTS = 500;
    public static final int DEFAULT_MAX_ENDPOINTS_PER_CONFERENCE = 100;
    public static final int DEFAULT_ICE_CONNECT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_ICE_CONSENT_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_DTLS_HANDSHAKE_TIMEOUT_MS = 10_000;

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
                .throwIfInvalid();
        advertisedAddresses = List.copyOf(advertisedAddresses);
        if (rateControl == null) rateControl = RateControlConfig.defaults();
        if (room == null) room = org.conclave.sfu.room.RoomOptions.DEFAULTS;
        if (signaling == null) signaling = SignalingConfig.defaults();
    }

    public static SfuConfig defaults() {
        return new SfuConfig(DEFAULT_BIND_ADDRESS, DEFAULT_UDP_PORT, DEFAULT_ADVERTISED_ADDRESSES, DEFAULT_MAX_ENDPOINTS,
                DEFAULT_MAX_ENDPOINTS_PER_CONFERENCE, DEFAULT_ICE_CONNECT_TIMEOUT_MS, DEFAULT_ICE_CONSENT_TIMEOUT_MS,
                DEFAULT_DTLS_HANDSHAKE_TIMEOUT_MS, RateControlConfig.defaults(),
                org.conclave.sfu.room.RoomOptions.DEFAULTS, SignalingConfig.defaults());
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
        RateControlConfig rateControl = RateControlConfig.read(s);
        org.conclave.sfu.room.RoomOptions room = RoomConfig.read(s);
        SignalingConfig signaling = SignalingConfig.read(s);
        return s.build(() -> new SfuConfig(bindAddress, udpPort, advertised, maxEndpoints, perConference,
                connectMs, consentMs, dtlsMs, rateControl, room, signaling));
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
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, room, signaling);
    }

    public SfuConfig withUdpPort(int value) {
        return new SfuConfig(bindAddress, value, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, room, signaling);
    }

    public SfuConfig withAdvertisedAddresses(List<String> value) {
        return new SfuConfig(bindAddress, udpPort, value, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, room, signaling);
    }

    public SfuConfig withMaxEndpoints(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, value, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, room, signaling);
    }

    public SfuConfig withMaxEndpointsPerConference(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, value,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, room, signaling);
    }

    public SfuConfig withIceConnectTimeoutMs(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                value, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, room, signaling);
    }

    public SfuConfig withIceConsentTimeoutMs(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, value, dtlsHandshakeTimeoutMs, rateControl, room, signaling);
    }

    public SfuConfig withDtlsHandshakeTimeoutMs(int value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, value, rateControl, room, signaling);
    }

    public SfuConfig withSignaling(SignalingConfig value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, room, value);
    }

    public SfuConfig withRoom(org.conclave.sfu.room.RoomOptions value) {
        return new SfuConfig(bindAddress, udpPort, advertisedAddresses, maxEndpoints, maxEndpointsPerConference,
                iceConnectTimeoutMs, iceConsentTimeoutMs, dtlsHandshakeTimeoutMs, rateControl, value, signaling);
    }

    private static SfuConfig finish(ConfigSource source) {
        SfuConfig config = read(source);
        source.finish();
        return config;
    }
}
