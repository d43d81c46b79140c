package org.conclave.cluster;

import java.util.List;
import java.util.Locale;
import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * Section {@code cluster}: which parts this process runs and how it finds the others (docs/operators.md, "Running a
 * cluster"). The default, {@code standalone}, is one JVM with the appservice and the SFU and no cluster at all (no
 * Hazelcast is started).
 *
 * @param role {@code standalone}, {@code all} (appservice and an SFU node, in a cluster), {@code appservice} or
 *     {@code sfu}
 * @param nodeName this SFU node's name in placement, logs and the admin API; empty: {@code <interface>:<port>}
 * @param clusterName Hazelcast's cluster name: processes join only a cluster of the same name
 * @param bindInterface the local IP Hazelcast and the event bus listen on and announce (a private network)
 * @param port Hazelcast's member port (0 = ephemeral, tests)
 * @param eventBusPort the Vert.x event bus port (0 = ephemeral, tests)
 * @param members other members to join, {@code host:port} (TCP-IP join; no multicast)
 * @param heartbeatIntervalMs how often an SFU node tells the appservices its load
 * @param nodeTimeoutMs a node silent this long is dead: its calls are hung up
 * @param requestTimeoutMs how long a control call may wait for a node's answer
 * @param drain an SFU node starts draining: no new conference is placed on it
 */
public record ClusterConfig(String role, String nodeName, String clusterName, String bindInterface, int port,
        int eventBusPort, List<String> members, int heartbeatIntervalMs, int nodeTimeoutMs, int requestTimeoutMs,
        boolean drain) {
    public static final String SECTION = "cluster";
    public static final String ROLE = "role";
    public static final String NODE_NAME = "node_name";
    public static final String CLUSTER_NAME = "cluster_name";
    public static final String INTERFACE = "interface";
    public static final String PORT = "port";
    public static final String EVENT_BUS_PORT = "event_bus_port";
    public static final String MEMBERS = "members";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat_interval_ms";
    public static final String NODE_TIMEOUT_MS = "node_timeout_ms";
    public static final String REQUEST_TIMEOUT_MS = "request_timeout_ms";
    public static final String DRAIN = "drain";

    public static final String STANDALONE = "standalone";
    public static final String ALL = "all";
    public static final String APPSERVICE = "appservice";
    public static final String SFU = "sfu";
    public static final List<String> ROLES = List.of(STANDALONE, ALL, APPSERVICE, SFU);

    public static final int DEFAULT_PORT = 5701;
    public static final int DEFAULT_EVENT_BUS_PORT = 5710;
    static final int MAX_PORT = 65535;
    static final int MAX_NAME_CHARS = 64;
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,64}");

    public ClusterConfig {
        ConfigValidator v = new ConfigValidator(SECTION);
        if (v.present(ROLE, role)) v.check(ROLES.contains(role), ROLE, "must be one of " + String.join(", ", ROLES), role);
        if (v.present(NODE_NAME, nodeName) && !nodeName.isEmpty()) {
            v.check(NAME.matcher(nodeName).matches(), NODE_NAME, "must be empty or 1-" + MAX_NAME_CHARS
                    + " letters, digits, '.', '_', ':', '-'", nodeName);
        }
        if (v.present(CLUSTER_NAME, clusterName)) {
            v.check(NAME.matcher(clusterName).matches(), CLUSTER_NAME, "must be 1-" + MAX_NAME_CHARS
                    + " letters, digits, '.', '_', ':', '-'", clusterName);
        }
        v.ipAddress(INTERFACE, bindInterface)
                .range(PORT, port, 0, MAX_PORT)
                .range(EVENT_BUS_PORT, eventBusPort, 0, MAX_PORT)
                .range(HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs, 100, 60_000)
                .range(NODE_TIMEOUT_MS, nodeTimeoutMs, 300, 600_000)
                .range(REQUEST_TIMEOUT_MS, requestTimeoutMs, 100, 600_000);
        v.check(nodeTimeoutMs >= 2 * heartbeatIntervalMs, NODE_TIMEOUT_MS,
                "must be at least twice heartbeat_interval_ms (" + heartbeatIntervalMs + "), or one late heartbeat "
                        + "would end every call of a node", nodeTimeoutMs);
        if (v.present(MEMBERS, members)) {
            for (String m : members) v.check(Member.parse(m) != null, MEMBERS, "entries must be host:port (an IP address"
                    + " or host name, [IPv6]:port for IPv6, port 1-65535)", m);
        }
        v.check(!drain || role == null || hasSfu(role) && clustered(role), DRAIN,
                "only applies to an SFU node in a cluster (role sfu or all)", drain);
        v.throwIfInvalid();
        members = List.copyOf(members);
    }

    /** A member to join: host and port, as listed in {@code cluster.members}. */
    public record Member(String host, int port) {
        /** {@code host:port} or {@code [v6]:port}; null when it is neither. */
        static Member parse(String text) {
            if (text == null) return null;
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) return null;
            String host = text.substring(0, colon);
            String portText = text.substring(colon + 1);
            if (!portText.matches("[0-9]{1,5}")) return null;
            int p = Integer.parseInt(portText);
            if (p < 1 || p > MAX_PORT) return null;
            if (host.startsWith("[") && host.endsWith("]")) {
                String v6 = host.substring(1, host.length() - 1);
                return ConfigValidator.isIpLiteral(v6) && v6.contains(":") ? new Member(v6, p) : null;
            }
            if (host.contains(":")) return null;
            return ConfigValidator.isIpLiteral(host) || ConfigValidator.isHostName(host) ? new Member(host, p) : null;
        }

        /** As Hazelcast's TCP-IP join takes it. */
        public String hazelcastAddress() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(STANDALONE, "", "conclave", "127.0.0.1", DEFAULT_PORT, DEFAULT_EVENT_BUS_PORT,
                List.of(), 1000, 3000, 5000, false);
    }

    public static ClusterConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        ClusterConfig d = defaults();
        String role = s.string(ROLE, d.role).toLowerCase(Locale.ROOT);
        String nodeName = s.string(NODE_NAME, d.nodeName);
        String clusterName = s.string(CLUSTER_NAME, d.clusterName);
        String bindInterface = s.string(INTERFACE, d.bindInterface);
        int port = s.integer(PORT, d.port);
        int eventBusPort = s.integer(EVENT_BUS_PORT, d.eventBusPort);
        List<String> members = s.stringList(MEMBERS, d.members);
        int heartbeat = s.integer(HEARTBEAT_INTERVAL_MS, d.heartbeatIntervalMs);
        int nodeTimeout = s.integer(NODE_TIMEOUT_MS, d.nodeTimeoutMs);
        int requestTimeout = s.integer(REQUEST_TIMEOUT_MS, d.requestTimeoutMs);
        boolean drain = s.bool(DRAIN, d.drain);
        return s.build(() -> new ClusterConfig(role, nodeName, clusterName, bindInterface, port, eventBusPort, members,
                heartbeat, nodeTimeout, requestTimeout, drain));
    }

    /** Joins a Vert.x cluster (Hazelcast): every role but standalone. */
    public boolean clustered() {
        return clustered(role);
    }

    /** Runs an SFU (and its UDP media socket). */
    public boolean runsSfu() {
        return hasSfu(role);
    }

    /** Runs the appservice (the Matrix side, the journal, the public listener). */
    public boolean runsAppservice() {
        return !SFU.equals(role);
    }

    public List<Member> memberAddresses() {
        return members.stream().map(Member::parse).toList();
    }

    private static boolean clustered(String role) {
        return !STANDALONE.equals(role);
    }

    private static boolean hasSfu(String role) {
        return !APPSERVICE.equals(role);
    }
}
