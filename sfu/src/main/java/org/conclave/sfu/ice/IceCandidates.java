package org.conclave.sfu.ice;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Candidate attributes (RFC 8839 §5.1): our host candidates for the SDP answer, and a validating parser for the
 * candidates clients trickle (an ICE-lite SFU learns client addresses from their checks, so these are only counted).
 *
 * <p>Operators behind NAT must configure advertised addresses: only then does a client learn a reachable address.
 * The interface scan deliberately keeps loopback, which the tests use.
 */
public final class IceCandidates {
    /** RFC 8445 §5.1.2.2 recommended type preference for host candidates. */
    public static final int HOST_TYPE_PREFERENCE = 126;
    public static final int MAX_LOCAL_PREFERENCE = 65535;
    public static final int RTP_COMPONENT = 1;
    /** Host candidates over TCP: below UDP's host preference, so UDP wins where both work (as libwebrtc). */
    public static final int TCP_HOST_TYPE_PREFERENCE = 90;
    private static final int TCP_PASSIVE_DIRECTION_PREFERENCE = 4;
    private static final int TCP_OTHER_PREFERENCE_MAX = (1 << 13) - 1;
    private static final int TCP_FOUNDATION_SALT = 0x74637000; // "tcp": another transport, another foundation
    /** Longest candidate line we read; real ones stay well under 300 characters. */
    public static final int MAX_LINE_LENGTH = 1024;
    private static final int MAX_FOUNDATION_LENGTH = 32;
    private static final int MAX_TOKEN_LENGTH = 64;
    private static final long MAX_PRIORITY = (1L << 31) - 1;
    private static final Set<String> TYPES = Set.of("host", "srflx", "prflx", "relay");
    /** Compiled once: String.split compiles this pattern again on every call (every trickled candidate). */
    private static final Pattern FIELD_SEPARATOR = Pattern.compile("[ \t]+");
    private static final String PREFIX = "candidate:";

    private IceCandidates() {}

    /** RFC 8445 §5.1.2.1: 2^24 type preference + 2^8 local preference + (256 - component). */
    public static long priority(int typePreference, int localPreference, int component) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /**
     * Host candidate lines ("candidate:..." without the "a=") for the shared UDP {@code port}, one per address, the
     * first address with the highest priority. The foundation derives from the address, so it is stable across
     * endpoints and distinct per base address (RFC 8445 §5.1.1.3).
     */
    public static List<String> hostCandidates(List<InetAddress> addresses, int port) {
        if (addresses.size() > MAX_LOCAL_PREFERENCE) throw new IllegalArgumentException("too many addresses");
        List<String> lines = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            InetAddress address = addresses.get(i);
            byte[] raw = address.getAddress();
            String foundation = Integer.toUnsignedString(StunMessages.crc32(raw, 0, raw.length));
            lines.add(PREFIX + foundation + " " + RTP_COMPONENT + " udp "
                    + priority(HOST_TYPE_PREFERENCE, MAX_LOCAL_PREFERENCE - i, RTP_COMPONENT) + " "
                    + literal(address) + " " + port + " typ host");
        }
        return lines;
    }

    /**
     * ICE-TCP passive host candidate lines (RFC 6544 §4.5) for the TCP {@code port}, one per address. Their type
     * preference is below UDP's (libwebrtc's 90 for TCP host candidates), so a client that can use UDP pairs it first;
     * the local preference follows RFC 6544 §4.2 (passive direction preference 4, then the address order). The
     * foundation differs from the UDP candidate's of the same address (another transport, RFC 8445 §5.1.1.3).
     */
    public static List<String> tcpPassiveCandidates(List<InetAddress> addresses, int port) {
        if (addresses.size() > TCP_OTHER_PREFERENCE_MAX) throw new IllegalArgumentException("too many addresses");
        List<String> lines = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            InetAddress address = addresses.get(i);
            byte[] raw = address.getAddress();
            String foundation = Integer.toUnsignedString(StunMessages.crc32(raw, 0, raw.length) ^ TCP_FOUNDATION_SALT);
            int localPreference = (TCP_PASSIVE_DIRECTION_PREFERENCE << 13) + TCP_OTHER_PREFERENCE_MAX - i;
            lines.add(PREFIX + foundation + " " + RTP_COMPONENT + " tcp "
                    + priority(TCP_HOST_TYPE_PREFERENCE, localPreference, RTP_COMPONENT) + " "
                    + literal(address) + " " + port + " typ host tcptype passive");
        }
        return lines;
    }

    /** Advertised addresses first (operator's order), then the usable local addresses of {@code bound}; no repeats. */
    public static List<InetAddress> candidateAddresses(List<InetAddress> advertised, InetAddress bound)
            throws SocketException {
        Set<InetAddress> all = new LinkedHashSet<>(advertised);
        all.addAll(usableLocalAddresses(bound));
        return List.copyOf(all);
    }

    /**
     * What a socket bound to {@code bound} can be reached at: the address itself, or for a wildcard the addresses of
     * every interface that is up (IPv4 only for 0.0.0.0, both families for ::), non-loopback first. Link-local and
     * multicast addresses are left out: they need a scope that SDP cannot carry.
     */
    public static List<InetAddress> usableLocalAddresses(InetAddress bound) throws SocketException {
        if (!bound.isAnyLocalAddress()) return List.of(bound);
        boolean v4Only = bound instanceof Inet4Address;
        List<InetAddress> outer = new ArrayList<>();
        List<InetAddress> loopback = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) continue;
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a.isLinkLocalAddress() || a.isMulticastAddress() || v4Only && !(a instanceof Inet4Address)) continue;
                (a.isLoopbackAddress() ? loopback : outer).add(a);
            }
        }
        outer.addAll(loopback);
        return outer;
    }

    /** Address literal without an IPv6 scope suffix. */
    private static String literal(InetAddress address) {
        String s = address.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }

    /**
     * Parses and validates a remote candidate ("candidate:..." with or without "a="): foundation, component, transport,
     * priority, address (IPv4, IPv6 or a host name such as an mDNS {@code .local} name, never resolved), port,
     * "typ" type, optional raddr/rport, then extension name/value pairs.
     */
    public static IceCandidate parse(String line) throws CandidateParseException {
        if (line == null || line.length() > MAX_LINE_LENGTH) throw new CandidateParseException("missing or too long");
        String s = line.strip();
        if (s.startsWith("a=")) s = s.substring(2);
        if (!s.startsWith(PREFIX)) throw new CandidateParseException("not a candidate");
        String[] f = FIELD_SEPARATOR.split(s.substring(PREFIX.length()), -1);
        if (f.length < 8) throw new CandidateParseException("too few fields");
        String foundation = f[0];
        if (foundation.isEmpty() || foundation.length() > MAX_FOUNDATION_LENGTH || !iceChars(foundation)) {
            throw new CandidateParseException("bad foundation");
        }
        int component = (int) number(f[1], 1, 256, "component");
        if (!token(f[2])) throw new CandidateParseException("bad transport");
        long priority = number(f[3], 1, MAX_PRIORITY, "priority");
        String address = address(f[4]);
        int port = (int) number(f[5], 0, 65535, "port");
        if (!f[6].equals("typ") || !TYPES.contains(f[7])) throw new CandidateParseException("bad type");
        String relatedAddress = null;
        int relatedPort = -1;
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 8; i < f.length; i += 2) {
            if (i + 1 >= f.length) throw new CandidateParseException("extension without value");
            String name = f[i];
            String value = f[i + 1];
            if (name.equals("raddr") && relatedAddress == null) {
                relatedAddress = address(value);
            } else if (name.equals("rport") && relatedPort < 0) {
                relatedPort = (int) number(value, 0, 65535, "rport");
            } else if (name.equals("raddr") || name.equals("rport")) {
                throw new CandidateParseException("repeated " + name);
            } else if (!token(name) || value.isEmpty() || value.length() > MAX_TOKEN_LENGTH || !visible(value)) {
                throw new CandidateParseException("bad extension");
            } else {
                extensions.putIfAbsent(name, value);
            }
        }
        return new IceCandidate(foundation, component, f[2], priority, address, port, f[7], relatedAddress,
                relatedPort, Collections.unmodifiableMap(extensions));
    }

    private static long number(String s, long min, long max, String what) throws CandidateParseException {
        if (s.isEmpty() || s.length() > 10) throw new CandidateParseException("bad " + what);
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new CandidateParseException("bad " + what);
            v = v * 10 + (c - '0');
        }
        if (v < min || v > max) throw new CandidateParseException(what + " out of range");
        return v;
    }

    /** An IP literal or a host name; checked syntactically, never looked up. */
    private static String address(String s) throws CandidateParseException {
        if (s.indexOf(':') >= 0) {
            // InetAddress treats a string as a literal (no DNS) only if it starts with ':' or a hex digit
            if (s.length() > 45 || s.charAt(0) == '.' || !s.chars().allMatch(c -> c == ':' || c == '.'
                    || c < 128 && Character.digit(c, 16) >= 0)) {
                throw new CandidateParseException("bad IPv6 address");
            }
            try {
                InetAddress.getByName(s); // a literal with ':' is never resolved, it parses or fails
            } catch (Exception e) {
                throw new CandidateParseException("bad IPv6 address");
            }
        } else if (s.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) throw new CandidateParseException("bad IPv4 address");
            for (String part : parts) {
                if (part.length() > 1 && part.charAt(0) == '0') throw new CandidateParseException("bad IPv4 address");
                number(part, 0, 255, "IPv4 address");
            }
        } else if (!hostName(s)) {
            throw new CandidateParseException("bad host name");
        }
        return s;
    }

    private static boolean hostName(String s) {
        if (s.isEmpty() || s.length() > 253) return false;
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.charAt(0) == '-' || label.endsWith("-")) return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c < 128 && Character.isLetterOrDigit(c) || c == '-')) return false;
            }
        }
        return true;
    }

    private static boolean iceChars(String s) {
        return s.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c) || c == '+' || c == '/');
    }

    /** RFC 4566 token characters. */
    private static boolean token(String s) {
        return !s.isEmpty() && s.length() <= MAX_TOKEN_LENGTH && s.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`{|}~".indexOf(c) >= 0));
    }

    private static boolean visible(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }
}
