package org.conclave.sfu.config;

/**
 * ICE-TCP (RFC 6544 passive candidates, RFC 4571 framing): keys {@code sfu.ice_tcp_*} (docs/operators.md "ICE-TCP").
 *
 * @param enabled whether the SFU listens on TCP and offers passive TCP candidates next to the UDP ones
 * @param port the TCP port; {@link #SAME_AS_UDP} (the default) takes {@code udp_port}'s number (TCP and UDP ports are
 *     separate spaces), so {@code udp_port: 0} gives an ephemeral TCP port too
 * @param writeBufferBytes per connection: bytes queued for a client that reads slower than its media comes; beyond
 *     this its packets are dropped (counted), never waited for
 * @param maxPending connections accepted that have not yet sent a valid ICE check; more are closed at once
 * @param maxPerEndpoint connections one endpoint may have at once
 * @param bindTimeoutMs time a new connection has to send its first ICE check (a complete RFC 4571 frame)
 */
public record IceTcpConfig(boolean enabled, int port, int writeBufferBytes, int maxPending, int maxPerEndpoint,
        int bindTimeoutMs) {
    public static final String ENABLED = "ice_tcp_enabled";
    public static final String PORT = "ice_tcp_port";
    public static final String WRITE_BUFFER_BYTES = "ice_tcp_write_buffer_bytes";
    public static final String MAX_PENDING = "ice_tcp_max_pending";
    public static final String MAX_PER_ENDPOINT = "ice_tcp_max_connections_per_endpoint";
    public static final String BIND_TIMEOUT_MS = "ice_tcp_bind_timeout_ms";

    public static final int SAME_AS_UDP = -1;
    public static final boolean DEFAULT_ENABLED = true;
    public static final int DEFAULT_PORT = SAME_AS_UDP;
    /** About 150 ms of a 3 Mbit/s downlink: rides out a scheduling hiccup, not a stalled reader. */
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_PENDING = 200;
    /** A client has one TCP candidate per interface; a couple of connections each is plenty. */
    public static final int DEFAULT_MAX_PER_ENDPOINT = 4;
    public static final int DEFAULT_BIND_TIMEOUT_MS = 5_000;
    /** A full frame with its header must fit. */
    static final int MIN_WRITE_BUFFER_BYTES = 4 * 1024;
    static final int MAX_WRITE_BUFFER_BYTES = 16 * 1024 * 1024;

    public IceTcpConfig {
        new ConfigValidator(SfuConfig.SECTION)
                .range(PORT, port, SAME_AS_UDP, SfuConfig.MAX_PORT)
                .range(WRITE_BUFFER_BYTES, writeBufferBytes, MIN_WRITE_BUFFER_BYTES, MAX_WRITE_BUFFER_BYTES)
                .range(MAX_PENDING, maxPending, 1, 100_000)
                .range(MAX_PER_ENDPOINT, maxPerEndpoint, 1, 64)
                .range(BIND_TIMEOUT_MS, bindTimeoutMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .throwIfInvalid();
    }

    public static IceTcpConfig defaults() {
        return new IceTcpConfig(DEFAULT_ENABLED, DEFAULT_PORT, DEFAULT_WRITE_BUFFER_BYTES, DEFAULT_MAX_PENDING,
                DEFAULT_MAX_PER_ENDPOINT, DEFAULT_BIND_TIMEOUT_MS);
    }

    /** The port to listen on, given {@code udp_port}. */
    public int effectivePort(int udpPort) {
        return port == SAME_AS_UDP ? udpPort : port;
    }

    public IceTcpConfig withEnabled(boolean value) {
        return new IceTcpConfig(value, port, writeBufferBytes, maxPending, maxPerEndpoint, bindTimeoutMs);
    }

    public IceTcpConfig withWriteBufferBytes(int value) {
        return new IceTcpConfig(enabled, port, value, maxPending, maxPerEndpoint, bindTimeoutMs);
    }

    /** Reads the keys from section {@code sfu}; problems are recorded on the section (null then). */
    static IceTcpConfig read(ConfigSection s) {
        boolean enabled = s.bool(ENABLED, DEFAULT_ENABLED);
        int port = s.integer(PORT, DEFAULT_PORT);
        int buffer = s.integer(WRITE_BUFFER_BYTES, DEFAULT_WRITE_BUFFER_BYTES);
        int pending = s.integer(MAX_PENDING, DEFAULT_MAX_PENDING);
        int perEndpoint = s.integer(MAX_PER_ENDPOINT, DEFAULT_MAX_PER_ENDPOINT);
        int timeout = s.integer(BIND_TIMEOUT_MS, DEFAULT_BIND_TIMEOUT_MS);
        return s.build(() -> new IceTcpConfig(enabled, port, buffer, pending, perEndpoint, timeout));
    }
}
