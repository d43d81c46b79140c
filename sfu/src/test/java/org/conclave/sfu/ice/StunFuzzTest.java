package org.conclave.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;

/**
 * The STUN parser, USERNAME lookup and agent never throw on any input, and never look outside [off, off+len): the
 * input is parsed inside two buffers with different surroundings, which must give identical results.
 * Seeds include a request signed with {@link #PWD} for {@link #UFRAG}, so the agent's accepting path is reached.
 */
class StunFuzzTest {
    static final String UFRAG = "fuzzufrg";
    static final String PWD = "fuzzpasswordfuzzpassword";
    private static final int PAD = 3;

    private final IceLiteAgent agent = new IceLiteAgent(new IceCredentials(UFRAG, PWD), new FakeClock());
    private final Mac mac = StunMessages.integrityMac(PWD);
    private final StunMessage first = new StunMessage();
    private final StunMessage second = new StunMessage();

    @FuzzTest
    void parseStun(byte[] data) throws Exception {
        byte[] zeros = embed(data, (byte) 0);
        byte[] ones = embed(data, (byte) 0xFF);
        assertThat(StunMessages.looksLikeStun(zeros, PAD, data.length)).isEqualTo(StunMessages.looksLikeStun(ones, PAD, data.length));
        assertThat(StunMessages.localUfrag(zeros, PAD, data.length)).isEqualTo(StunMessages.localUfrag(ones, PAD, data.length));
        StunMessage.Status status = first.parse(zeros, PAD, data.length);
        assertThat(second.parse(ones, PAD, data.length)).isEqualTo(status);
        if (status == StunMessage.Status.OK) assertThat(summary(first)).isEqualTo(summary(second));

        byte[] out = new byte[StunMessages.MAX_RESPONSE_LENGTH];
        int n = agent.handleBindingRequest(zeros, PAD, data.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000), out, 0);
        assertThat(n).isBetween(-1, StunMessages.MAX_RESPONSE_LENGTH);
        if (n > 0) assertThat(first.parse(out, 0, n)).isEqualTo(StunMessage.Status.OK);
    }

    private String summary(StunMessage m) {
        StringBuilder s = new StringBuilder();
        s.append(m.type()).append('|').append(m.username()).append('|').append(m.priority()).append('|')
                .append(m.useCandidate()).append(m.iceControlling()).append(m.iceControlled()).append(m.tieBreaker())
                .append('|').append(m.errorCode()).append('|').append(m.xorMappedAddress()).append('|')
                .append(m.hasFingerprint()).append(m.hasIntegrity()).append(m.integrityValid(mac))
                .append(m.usernameRecipientIs(UFRAG.getBytes())).append('|').append(m.unknownCount());
        for (int i = 0; i < m.unknownCount(); i++) s.append(',').append(m.unknown(i));
        return Objects.toString(s);
    }

    /** Keeps the seeds meaningful: they must reach the agent's accepting and 487 paths. */
    @Test
    void seedsReachTheAgent() throws Exception {
        InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
        byte[] out = new byte[StunMessages.MAX_RESPONSE_LENGTH];
        byte[] nominating = seed("agent-request-nominating");
        assertThat(agent.handleBindingRequest(nominating, 0, nominating.length, from, out, 0)).isPositive();
        assertThat(agent.requestsAccepted()).isEqualTo(1);
        assertThat(agent.selectedAddress()).isEqualTo(from);
        byte[] controlled = seed("agent-request-controlled");
        assertThat(agent.handleBindingRequest(controlled, 0, controlled.length, from, out, 0)).isPositive();
        assertThat(agent.roleConflicts()).isEqualTo(1);
    }

    private static byte[] seed(String name) throws Exception {
        try (var in = StunFuzzTest.class.getResourceAsStream("StunFuzzTestInputs/parseStun/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] embed(byte[] data, byte fill) {
        byte[] b = new byte[data.length + 2 * PAD];
        Arrays.fill(b, fill);
        System.arraycopy(data, 0, b, PAD, data.length);
        return b;
    }
}
