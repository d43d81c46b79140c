package org.conclave.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.sfu.ice.StunMessages.*;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import javax.crypto.Mac;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.ice.IceLiteAgent.State;
import org.conclave.sfu.ice.StunMessage.Status;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
    private final FakeClock clock = new FakeClock();
    private final IceCredentials local = IceCredentials.random();
    private final IceLiteAgent agent = new IceLiteAgent(local, clock);
    private final Mac clientMac = StunMessages.integrityMac(local.pwd());
    private final byte[] in = new byte[600];
    private final byte[] out = new byte[MAX_RESPONSE_LENGTH + 7];
    private final StunMessage response = new StunMessage();

    private static InetSocketAddress addr(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + i)}), 40000 + i);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A check as a controlling client sends it; returns the agent's answer length. */
    private int check(InetSocketAddress from, boolean useCandidate) {
        int n = writeBindingRequest(in, 0, RawStun.TX, 0, local.ufrag() + ":cli1", 0x6e7f00ffL, 42, useCandidate, clientMac);
        return agent.handleBindingRequest(in, 0, n, from, out, 7);
    }

    private int send(byte[] request, InetSocketAddress from) {
        return agent.handleBindingRequest(request, 0, request.length, from, out, 7);
    }

    @Test
    void roundTripThroughTheWriterAgentAndParser() {
        InetSocketAddress from = addr(1);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.NEW);
        assertThat(agent.selectedAddress()).isNull();
        int n = check(from, false);
        assertThat(n).isPositive();
        assertThat(response.parse(out, 7, n)).isEqualTo(Status.OK);
        assertThat(response.type()).isEqualTo(BINDING_SUCCESS);
        assertThat(response.transactionIdEquals(RawStun.TX, 0)).isTrue();
        assertThat(response.integrityValid(clientMac)).isTrue();
        assertThat(response.hasFingerprint()).isTrue();
        assertThat(response.xorMappedAddress()).isEqualTo(from);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.CONNECTED);
        assertThat(agent.isValidated(new InetSocketAddress(from.getAddress(), from.getPort()))).isTrue();
        assertThat(agent.isValidated(new InetSocketAddress(from.getAddress(), from.getPort() + 1))).isFalse();
        assertThat(agent.isValidated(addr(2))).isFalse();
        assertThat(agent.selectedAddress()).isEqualTo(from);
        assertThat(agent.requestsAccepted()).isEqualTo(1);
    }

    @Test
    void aMoveToAnotherValidatedAddressSelectsItAndForgetsTheRest() {
        check(addr(1), true);
        check(addr(2), false); // the client's consent check from its new address (NAT rebinding)
        assertThat(agent.selectedAddress()).as("a check without nomination moves nothing").isEqualTo(addr(1));
        assertThat(agent.moveTo(addr(3))).as("never validated").isFalse();
        assertThat(agent.selectedAddress()).isEqualTo(addr(1));

        assertThat(agent.moveTo(addr(2))).isTrue();
        assertThat(agent.selectedAddress()).isEqualTo(addr(2));
        assertThat(agent.isValidated(addr(2))).isTrue();
        assertThat(agent.isValidated(addr(1))).as("the address left behind").isFalse();
        check(addr(1), false);
        assertThat(agent.isValidated(addr(1))).as("a new check validates it again").isTrue();
        assertThat(agent.selectedAddress()).isEqualTo(addr(2));
    }

    @Test
    void aForgottenPathFallsBackToTheLatestOtherValidatedOne() {
        check(addr(1), false);
        clock.advanceMillis(10);
        check(addr(2), false);
        clock.advanceMillis(10);
        check(addr(3), true);
        agent.forget(addr(3)); // its ICE-TCP connection closed
        assertThat(agent.isValidated(addr(3))).isFalse();
        assertThat(agent.selectedAddress()).isEqualTo(addr(2));
        agent.forget(addr(1));
        assertThat(agent.selectedAddress()).as("a path that carried nothing goes quietly").isEqualTo(addr(2));
        agent.forget(addr(2));
        assertThat(agent.selectedAddress()).isNull();
        agent.forget(addr(2)); // twice: nothing
        check(addr(1), true);
        assertThat(agent.selectedAddress()).isEqualTo(addr(1));
    }

    @Test
    void theAnswerReportsTheMappedAddressWhereTheKeyIsNotTheClientsAddress() {
        int n = writeBindingRequest(in, 0, RawStun.TX, 0, local.ufrag() + ":cli1", 0x6e7f00ffL, 42, true, clientMac);
        int m = agent.handleBindingRequest(in, 0, n, addr(5), addr(6), out, 7);
        assertThat(response.parse(out, 7, m)).isEqualTo(Status.OK);
        assertThat(response.xorMappedAddress()).isEqualTo(addr(6));
        assertThat(agent.isValidated(addr(5))).isTrue();
        assertThat(agent.isValidated(addr(6))).isFalse();
    }

    @Test
    void ipv6SourceIsMappedBack() throws Exception {
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("::1"), 5000);
        int n = check(from, true);
        assertThat(response.parse(out, 7, n)).isEqualTo(Status.OK);
        assertThat(response.xorMappedAddress()).isEqualTo(from);
        assertThat(agent.isValidated(from)).isTrue();
    }

    @Test
    void timesOutWithoutAValidCheckAndStaysFailed() {
        long start = clock.nanoTime();
        clock.advanceMillis(9_999);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.NEW);
        send(RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, local.ufrag() + ":x").signed("wrong-password-0123456789"), addr(1));
        clock.advanceMillis(1);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.FAILED_TIMEOUT);
        assertThat(check(addr(1), true)).isEqualTo(-1);
        assertThat(agent.requestsAfterFailure()).isEqualTo(1);
        assertThat(agent.isValidated(addr(1))).isFalse();
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.FAILED_TIMEOUT);
        assertThat(agent.state(start)).isEqualTo(State.NEW);
    }

    @Test
    void consentIsRefreshedByChecksAndExpiresAfter30Seconds() {
        check(addr(1), true);
        clock.advanceMillis(29_000);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.CONNECTED);
        check(addr(1), false); // a consent check
        clock.advanceMillis(29_999);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.CONNECTED);
        clock.advanceMillis(1);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.FAILED_CONSENT);
        assertThat(check(addr(1), false)).isEqualTo(-1);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.FAILED_CONSENT);
    }

    @Test
    void customTimeouts() {
        IceLiteAgent quick = new IceLiteAgent(local, clock, java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(200));
        clock.advanceMillis(99);
        int n = writeBindingRequest(in, 0, RawStun.TX, 0, local.ufrag() + ":c", 1, 1, false, clientMac);
        assertThat(quick.handleBindingRequest(in, 0, n, addr(1), out, 0)).isPositive();
        clock.advanceMillis(199);
        assertThat(quick.state(clock.nanoTime())).isEqualTo(State.CONNECTED);
        clock.advanceMillis(1);
        assertThat(quick.state(clock.nanoTime())).isEqualTo(State.FAILED_CONSENT);
    }

    @Test
    void nominationSelectsTheAddress() {
        check(addr(1), false);
        check(addr(2), false);
        assertThat(agent.selectedAddress()).isEqualTo(addr(2)); // most recent before nomination
        check(addr(1), true);
        assertThat(agent.selectedAddress()).isEqualTo(addr(1));
        check(addr(2), false);
        assertThat(agent.selectedAddress()).isEqualTo(addr(1)); // a plain check does not move a nomination
        check(addr(3), true);
        assertThat(agent.selectedAddress()).isEqualTo(addr(3)); // renomination, e.g. after a network change
        assertThat(agent.isValidated(addr(1))).isTrue();
    }

    @Test
    void validatedSetIsBoundedAndKeepsTheSelectedAddress() {
        check(addr(0), true);
        for (int i = 1; i <= IceLiteAgent.MAX_VALIDATED; i++) {
            clock.advanceMillis(10);
            check(addr(i), false);
        }
        assertThat(agent.isValidated(addr(0))).isTrue(); // nominated, never evicted
        assertThat(agent.isValidated(addr(1))).isFalse(); // oldest other one made room
        for (int i = 2; i <= IceLiteAgent.MAX_VALIDATED; i++) assertThat(agent.isValidated(addr(i))).isTrue();

        clock.advanceMillis(10);
        check(addr(2), false); // refreshed: addr(3) is now the oldest
        check(addr(20), false);
        assertThat(agent.isValidated(addr(2))).isTrue();
        assertThat(agent.isValidated(addr(3))).isFalse();
        assertThat(agent.isValidated(addr(20))).isTrue();
    }

    @Test
    void wrongUfragAndWrongPasswordAreDropped() {
        byte[] otherUfrag = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, "zzzzzzzz:c").signed(local.pwd());
        byte[] prefixUfrag = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, local.ufrag() + "x:c").signed(local.pwd());
        byte[] wrongPassword = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, local.ufrag() + ":c").signed("another-password-0123456789");
        assertThat(send(otherUfrag, addr(1))).isEqualTo(-1);
        assertThat(send(prefixUfrag, addr(1))).isEqualTo(-1);
        assertThat(agent.requestsRejectedUsername()).isEqualTo(2);
        assertThat(send(wrongPassword, addr(1))).isEqualTo(-1);
        assertThat(agent.requestsRejectedIntegrity()).isEqualTo(1);
        assertThat(agent.isValidated(addr(1))).isFalse();
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.NEW);
    }

    @Test
    void missingCredentialsGet400() {
        byte[] noIntegrity = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, local.ufrag() + ":c").signed(null);
        byte[] noUsername = RawStun.of(BINDING_REQUEST).attr(ATTR_PRIORITY, 1, 4).signed(local.pwd());
        assertErrorAnswer(send(noIntegrity, addr(1)), 400, false);
        assertErrorAnswer(send(noUsername, addr(1)), 400, false);
        assertThat(agent.requestsRejectedIntegrity()).isEqualTo(1);
        assertThat(agent.requestsRejectedUsername()).isEqualTo(1);
        assertThat(agent.isValidated(addr(1))).isFalse();
    }

    @Test
    void controlledPeerGets487AndUnknownRequiredAttributeGets420() {
        byte[] controlled = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, local.ufrag() + ":c")
                .attr(ATTR_ICE_CONTROLLED, 5, 8).signed(local.pwd());
        assertErrorAnswer(send(controlled, addr(1)), 487, true);
        assertThat(agent.roleConflicts()).isEqualTo(1);

        byte[] unknown = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, local.ufrag() + ":c")
                .attr(0x0042, new byte[4]).signed(local.pwd());
        assertErrorAnswer(send(unknown, addr(1)), 420, true);
        assertThat(readShort(out, 7 + 48 + 4)).isEqualTo(0x0042);
        assertThat(agent.unknownAttributes()).isEqualTo(1);
        assertThat(agent.isValidated(addr(1))).isFalse();
        assertThat(agent.requestsAccepted()).isZero();
    }

    private void assertErrorAnswer(int n, int code, boolean authenticated) {
        assertThat(n).isPositive();
        assertThat(response.parse(out, 7, n)).isEqualTo(Status.OK);
        assertThat(response.type()).isEqualTo(BINDING_ERROR);
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.transactionIdEquals(RawStun.TX, 0)).isTrue();
        assertThat(response.hasIntegrity()).isEqualTo(authenticated);
        if (authenticated) assertThat(response.integrityValid(clientMac)).isTrue();
    }

    @Test
    void malformedAndNonRequestsAreDropped() {
        byte[] good = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, local.ufrag() + ":c").signed(local.pwd());
        byte[] bad = good.clone();
        bad[22] ^= 1; // breaks the FINGERPRINT
        assertThat(send(bad, addr(1))).isEqualTo(-1);
        assertThat(send(Arrays.copyOf(good, 19), addr(1))).isEqualTo(-1);
        assertThat(agent.malformed()).isEqualTo(2);
        byte[] indication = RawStun.of(BINDING_INDICATION).signed(null);
        assertThat(send(indication, addr(1))).isEqualTo(-1);
        assertThat(agent.ignored()).isEqualTo(1);
        assertThat(send(good, addr(1))).isPositive();
    }

    @Test
    void isValidatedDoesNotAllocate() {
        for (int i = 0; i < IceLiteAgent.MAX_VALIDATED; i++) check(addr(i), false);
        InetSocketAddress probe = addr(IceLiteAgent.MAX_VALIDATED - 1);
        InetSocketAddress miss = addr(99);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        boolean all = true;
        for (int i = 0; i < 20_000; i++) all &= agent.isValidated(probe) & !agent.isValidated(miss); // warm up
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) all &= agent.isValidated(probe) & !agent.isValidated(miss);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(all).isTrue();
        assertThat(allocated).isLessThan(10_000); // a byte per call would already be 100 KB
    }

    /** A check addressed to {@code to}'s ufrag and signed with {@code signedWith}'s password. */
    private int checkWith(IceCredentials to, IceCredentials signedWith, InetSocketAddress from, boolean useCandidate) {
        Mac mac = StunMessages.integrityMac(signedWith.pwd());
        int n = writeBindingRequest(in, 0, RawStun.TX, 0, to.ufrag() + ":cli2", 0x6e7f00ffL, 42, useCandidate, mac);
        return agent.handleBindingRequest(in, 0, n, from, out, 7);
    }

    @Test
    void iceRestartAnswersBothUntilTheNewCredentialsAreUsedThenOnlyThose() {
        InetSocketAddress oldPath = addr(1);
        InetSocketAddress newPath = addr(2);
        assertThat(check(oldPath, true)).isPositive();
        IceCredentials next = IceCredentials.random();
        agent.restart(next);
        assertThat(agent.pendingCredentials()).isEqualTo(next);
        // The client has not switched yet: the old credentials still work, media still goes the old way.
        assertThat(check(oldPath, true)).isPositive();
        assertThat(agent.generation()).isZero();
        assertThat(agent.selectedAddress()).isEqualTo(oldPath);

        // Its first check with the new credentials (from a new path, not nominated yet) switches over.
        int n = checkWith(next, next, newPath, false);
        assertThat(n).isPositive();
        assertThat(response.parse(out, 7, n)).isEqualTo(Status.OK);
        assertThat(response.integrityValid(StunMessages.integrityMac(next.pwd()))).isTrue();
        assertThat(agent.generation()).isEqualTo(1);
        assertThat(agent.localCredentials()).isEqualTo(next);
        assertThat(agent.pendingCredentials()).isNull();
        assertThat(agent.isValidated(newPath)).isTrue();
        assertThat(agent.isValidated(oldPath)).isFalse();
        assertThat(agent.selectedAddress()).isEqualTo(newPath);

        // The old ufrag is refused from then on, from any path.
        long rejected = agent.requestsRejectedUsername();
        assertThat(check(oldPath, true)).isEqualTo(-1);
        assertThat(agent.requestsRejectedUsername()).isEqualTo(rejected + 1);
        assertThat(agent.state(clock.nanoTime())).isEqualTo(State.CONNECTED);
    }

    @Test
    void theNewUfragSignedWithTheOldPasswordSwitchesNothing() {
        assertThat(check(addr(1), true)).isPositive();
        IceCredentials next = IceCredentials.random();
        agent.restart(next);
        long rejected = agent.requestsRejectedIntegrity();
        assertThat(checkWith(next, local, addr(2), true)).isEqualTo(-1);
        assertThat(agent.requestsRejectedIntegrity()).isEqualTo(rejected + 1);
        assertThat(agent.generation()).isZero();
        assertThat(agent.isValidated(addr(1))).isTrue();
        assertThat(agent.isValidated(addr(2))).isFalse();
    }

    @Test
    void aSecondRestartBeforeTheFirstWasUsedReplacesIt() {
        assertThat(check(addr(1), true)).isPositive();
        IceCredentials first = IceCredentials.random();
        IceCredentials second = IceCredentials.random();
        agent.restart(first);
        agent.restart(second);
        assertThat(checkWith(first, first, addr(2), true)).isEqualTo(-1);
        assertThat(checkWith(second, second, addr(2), true)).isPositive();
        assertThat(agent.localCredentials()).isEqualTo(second);
        assertThat(agent.generation()).isEqualTo(1);
    }
}
