package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The GSO probe counts what one GSO send per receiver and turn could join: equal lengths, the last may be shorter. */
class SendRunsTest {
    private final WorkerStats stats = new WorkerStats();
    private final SendRuns runs = new SendRuns(stats);
    private final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
    private final InetSocketAddress b = new InetSocketAddress("127.0.0.1", 5001);

    @Test
    void aFramesPacketsToOneReceiverAreOneRunAndTheShorterLastEndsIt() {
        for (int i = 0; i < 5; i++) runs.sent(1100, a);
        runs.sent(900, a); // the frame's last, shorter: still the same GSO send
        runs.sent(900, a); // after a shorter one GSO cannot go on
        runs.endTurn();
        assertThat(stats.sendRuns()).isEqualTo(2);
        assertThat(stats.joinedRuns()).isEqualTo(1);
        assertThat(stats.joinedDatagrams()).isEqualTo(6);
        assertThat(stats.joinedIn5To8()).isEqualTo(6);
        assertThat(stats.sendTurns()).isEqualTo(1);
    }

    @Test
    void aLongerDatagramStartsANewRun() {
        runs.sent(1100, a);
        runs.sent(1100, a);
        runs.sent(1104, a); // the bench generator's last packet of a frame is a few bytes longer
        runs.endTurn();
        assertThat(stats.sendRuns()).isEqualTo(2);
        assertThat(stats.joinedDatagrams()).isEqualTo(2);
    }

    @Test
    void anotherReceiverInBetweenDoesNotBreakARunButATurnDoes() {
        runs.sent(1100, a);
        runs.sent(1100, b);
        runs.sent(1100, a);
        runs.sent(200, b);
        runs.endTurn();
        runs.sent(1100, a); // next turn: a new send
        runs.endTurn();
        runs.endTurn(); // a turn that sent nothing is not counted
        assertThat(stats.sendRuns()).isEqualTo(3);
        assertThat(stats.joinedRuns()).isEqualTo(2);
        assertThat(stats.joinedDatagrams()).isEqualTo(4);
        assertThat(stats.joinedIn2()).isEqualTo(4);
        assertThat(stats.sendTurns()).isEqualTo(2);
    }

    @Test
    void aRunStopsAtGsosSegmentLimit() {
        for (int i = 0; i < SendRuns.MAX_SEGMENTS + 1; i++) runs.sent(100, a);
        runs.endTurn();
        assertThat(stats.sendRuns()).isEqualTo(2);
        assertThat(stats.joinedDatagrams()).isEqualTo(SendRuns.MAX_SEGMENTS);
        assertThat(stats.joinedIn9Up()).isEqualTo(SendRuns.MAX_SEGMENTS);
    }

    @Test
    void manyReceiversInOneTurnAreAllCounted() {
        int n = 5000; // more than the table holds: the turn is split, nothing is lost
        InetSocketAddress[] to = new InetSocketAddress[n];
        for (int i = 0; i < n; i++) to[i] = new InetSocketAddress("127.0.0.1", 1024 + i);
        for (int i = 0; i < n; i++) runs.sent(100, to[i]);
        runs.endTurn();
        assertThat(stats.sendRuns()).isEqualTo(n);
        assertThat(stats.joinedRuns()).isZero();
    }
}
