package org.conclave.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class CandidatesTest {
    @Test
    void rewritesAddressAndPortOfEveryCandidateOnly() {
        String sdp = "v=0\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n"
                + "a=candidate:2 1 udp 2130706431 ::1 40000 typ host generation 0\r\n"
                + "a=end-of-candidates\r\n";
        String out = Candidates.rewrite(sdp, new InetSocketAddress("127.0.0.1", 5555));
        assertThat(out).isEqualTo("v=0\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 5555 typ host\r\n"
                + "a=candidate:2 1 udp 2130706431 127.0.0.1 5555 typ host generation 0\r\n"
                + "a=end-of-candidates\r\n");
    }

    @Test
    void sdpWithoutCandidatesIsUnchanged() {
        String sdp = "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
        assertThat(Candidates.rewrite(sdp, new InetSocketAddress("127.0.0.1", 1))).isEqualTo(sdp);
    }
}
