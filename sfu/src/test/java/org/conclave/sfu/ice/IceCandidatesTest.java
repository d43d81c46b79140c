package org.conclave.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IceCandidatesTest {

    @Test
    void hostPriorityFollowsRfc8445() {
        assertThat(IceCandidates.priority(126, 65535, 1)).isEqualTo(2130706431L); // the familiar first host priority
        assertThat(IceCandidates.priority(126, 65534, 1)).isEqualTo(2130706431L - 256);
        assertThat(IceCandidates.priority(0, 0, 1)).isEqualTo(255);
    }

    @Test
    void hostCandidatesInPreferenceOrder() throws Exception {
        List<InetAddress> addresses = List.of(InetAddress.getByName("203.0.113.5"), InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("::1"));
        List<String> lines = IceCandidates.hostCandidates(addresses, 40000);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("candidate:\\d+ 1 udp 2130706431 203\\.0\\.113\\.5 40000 typ host");
        assertThat(lines.get(1)).matches("candidate:\\d+ 1 udp 2130706175 127\\.0\\.0\\.1 40000 typ host");
        assertThat(lines.get(2)).matches("candidate:\\d+ 1 udp 2130705919 0:0:0:0:0:0:0:1 40000 typ host");
        List<IceCandidate> parsed = lines.stream().map(IceCandidatesTest::parse).toList();
        assertThat(parsed).extracting(IceCandidate::foundation).doesNotHaveDuplicates();
        assertThat(IceCandidates.hostCandidates(List.of(addresses.get(1)), 1).get(0))
                .startsWith("candidate:" + parsed.get(1).foundation() + " "); // stable per address
    }

    @Test
    void tcpPassiveCandidatesRankBelowUdpAndParse() throws Exception {
        List<InetAddress> addresses = List.of(InetAddress.getByName("203.0.113.5"), InetAddress.getByName("127.0.0.1"));
        List<String> lines = IceCandidates.tcpPassiveCandidates(addresses, 443);
        // type preference 90, local preference 4 x 2^13 + 8191 - i (RFC 6544 section 4.2)
        assertThat(lines.get(0)).matches("candidate:\\d+ 1 tcp 1520435199 203\\.0\\.113\\.5 443 typ host tcptype passive");
        assertThat(lines.get(1)).matches("candidate:\\d+ 1 tcp 1520434943 127\\.0\\.0\\.1 443 typ host tcptype passive");
        IceCandidate tcp = parse(lines.get(0));
        assertThat(tcp.transport()).isEqualTo("tcp");
        assertThat(tcp.extensions()).containsEntry("tcptype", "passive");
        IceCandidate udp = parse(IceCandidates.hostCandidates(addresses, 443).get(1));
        assertThat(tcp.priority()).isLessThan(udp.priority()); // UDP wins where both work
        assertThat(tcp.foundation()).isNotEqualTo(parse(IceCandidates.hostCandidates(addresses, 443).get(0)).foundation());
    }

    @Test
    void scopedIpv6LiteralLosesItsScope() throws Exception {
        InetAddress scoped = InetAddress.getByName("fe80::1%1");
        assertThat(IceCandidates.hostCandidates(List.of(scoped), 9).get(0)).contains(" fe80:0:0:0:0:0:0:1 9 ");
    }

    @Test
    void advertisedAddressesComeFirstAndLoopbackIsKept() throws Exception {
        InetAddress advertised = InetAddress.getByName("198.51.100.7");
        List<InetAddress> all = IceCandidates.candidateAddresses(List.of(advertised, advertised),
                InetAddress.getByName("0.0.0.0"));
        assertThat(all.get(0)).isEqualTo(advertised);
        assertThat(all).doesNotHaveDuplicates();
        assertThat(all).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(all).allMatch(a -> a instanceof Inet4Address);
        assertThat(all.get(all.size() - 1).isLoopbackAddress()).isTrue();
        assertThat(IceCandidates.usableLocalAddresses(InetAddress.getByName("::"))).contains(InetAddress.getByName("127.0.0.1"))
                .noneMatch(InetAddress::isLinkLocalAddress);
        InetAddress specific = InetAddress.getByName("127.0.0.1");
        assertThat(IceCandidates.usableLocalAddresses(specific)).containsExactly(specific);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validLines")
    void parsesRealCandidates(String line, IceCandidate expected) {
        assertThat(parse(line)).isEqualTo(expected);
    }

    static Stream<Arguments> validLines() {
        return Stream.of(
                Arguments.of("candidate:842163049 1 udp 1677729535 7c9a1f1e-3b2a-4c6d-9e0f-1a2b3c4d5e6f.local 54400 typ host "
                                + "generation 0 ufrag EsAw network-id 1 network-cost 10",
                        new IceCandidate("842163049", 1, "udp", 1677729535, "7c9a1f1e-3b2a-4c6d-9e0f-1a2b3c4d5e6f.local",
                                54400, "host", null, -1,
                                Map.of("generation", "0", "ufrag", "EsAw", "network-id", "1", "network-cost", "10"))),
                Arguments.of("a=candidate:1 1 UDP 1694498815 203.0.113.9 61000 typ srflx raddr 0.0.0.0 rport 0\r\n",
                        new IceCandidate("1", 1, "UDP", 1694498815, "203.0.113.9", 61000, "srflx", "0.0.0.0", 0, Map.of())),
                Arguments.of("candidate:3 1 tcp 1518280447 192.168.1.5 9 typ host tcptype active generation 0",
                        new IceCandidate("3", 1, "tcp", 1518280447, "192.168.1.5", 9, "host", null, -1,
                                Map.of("tcptype", "active", "generation", "0"))),
                Arguments.of("candidate:a+/B 2 udp 16777215 2001:db8::1 3478 typ relay raddr 2001:db8::2 rport 5000",
                        new IceCandidate("a+/B", 2, "udp", 16777215, "2001:db8::1", 3478, "relay", "2001:db8::2", 5000, Map.of())),
                Arguments.of("candidate:0 1 UDP 2122252543 ::ffff:10.0.0.1 49203 typ prflx",
                        new IceCandidate("0", 1, "UDP", 2122252543, "::ffff:10.0.0.1", 49203, "prflx", null, -1, Map.of())));
    }

    @Test
    void mdnsNamesAreRecognised() {
        assertThat(parse("candidate:1 1 udp 1 abc.local 1 typ host").isMdns()).isTrue();
        assertThat(parse("candidate:1 1 udp 1 abc.LOCAL 1 typ host").isMdns()).isTrue();
        assertThat(parse("candidate:1 1 udp 1 10.0.0.1 1 typ host").isMdns()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "candidate:",
            "1 1 udp 1 10.0.0.1 1 typ host",
            "candidate:1 1 udp 1 10.0.0.1 1 typ",
            "candidate: 1 udp 1 10.0.0.1 1 typ host",
            "candidate:f!o 1 udp 1 10.0.0.1 1 typ host",
            "candidate:123456789012345678901234567890123 1 udp 1 10.0.0.1 1 typ host",
            "candidate:1 0 udp 1 10.0.0.1 1 typ host",
            "candidate:1 257 udp 1 10.0.0.1 1 typ host",
            "candidate:1 1 u(p 1 10.0.0.1 1 typ host",
            "candidate:1 1 udp 0 10.0.0.1 1 typ host",
            "candidate:1 1 udp 2147483648 10.0.0.1 1 typ host",
            "candidate:1 1 udp 12a 10.0.0.1 1 typ host",
            "candidate:1 1 udp -1 10.0.0.1 1 typ host",
            "candidate:1 1 udp 1 256.0.0.1 1 typ host",
            "candidate:1 1 udp 1 10.0.0 1 typ host",
            "candidate:1 1 udp 1 010.0.0.1 1 typ host",
            "candidate:1 1 udp 1 1:::2 1 typ host",
            "candidate:1 1 udp 1 fe80::1%eth0 1 typ host",
            "candidate:1 1 udp 1 .:1 1 typ host",
            "candidate:1 1 udp 1 -abc.local 1 typ host",
            "candidate:1 1 udp 1 a..local 1 typ host",
            "candidate:1 1 udp 1 [::1] 1 typ host",
            "candidate:1 1 udp 1 10.0.0.1 65536 typ host",
            "candidate:1 1 udp 1 10.0.0.1 1 type host",
            "candidate:1 1 udp 1 10.0.0.1 1 typ foo",
            "candidate:1 1 udp 1 10.0.0.1 1 typ host generation",
            "candidate:1 1 udp 1 10.0.0.1 1 typ srflx raddr 1.2.3.4 raddr 1.2.3.4",
            "candidate:1 1 udp 1 10.0.0.1 1 typ srflx raddr 1.2.3.4 rport x",
            "candidate:1 1 udp 1 10.0.0.1 1 typ host ufrag \u00e9",
            "candidate:1 1 udp 1 h\u00f6st.local 1 typ host",
            "candidate:1 1 udp １ 10.0.0.1 1 typ host",
    })
    void rejectsMalformedLines(String line) {
        assertThatThrownBy(() -> IceCandidates.parse(line)).isInstanceOf(CandidateParseException.class);
    }

    @Test
    void rejectsNullAndOverlongLines() {
        assertThatThrownBy(() -> IceCandidates.parse(null)).isInstanceOf(CandidateParseException.class);
        String longLine = "candidate:1 1 udp 1 10.0.0.1 1 typ host" + " a b".repeat(400);
        assertThatThrownBy(() -> IceCandidates.parse(longLine)).isInstanceOf(CandidateParseException.class);
    }

    static IceCandidate parse(String line) {
        try {
            return IceCandidates.parse(line);
        } catch (CandidateParseException e) {
            throw new AssertionError(line + ": " + e.getMessage(), e);
        }
    }
}
