package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CongestionControlTest {
    @Test
    void slowStartThenAvoidanceThenLossReactions() {
        CongestionControl cc = new CongestionControl(1200, 10_000);
        assertThat(cc.cwnd()).isEqualTo(4380);
        cc.onAck(1200, true, 4380, 1, 3180);
        assertThat(cc.cwnd()).isEqualTo(5580);
        cc.onAck(1200, true, 100, 2, 0); // not using the window: no growth
        assertThat(cc.cwnd()).isEqualTo(5580);
        for (int i = 0; i < 4; i++) cc.onAck(1200, true, cc.cwnd(), 3 + i, 1);
        assertThat(cc.cwnd()).isEqualTo(10380).isGreaterThan(cc.ssthresh()); // slow start is over
        long before = cc.cwnd();
        cc.onAck(1200, true, before, 10, 1);
        assertThat(cc.cwnd()).isEqualTo(before); // needs a whole cwnd of acked bytes
        int acks = 0;
        while (cc.cwnd() == before) cc.onAck(1200, true, before, 11 + acks++, 1);
        assertThat(cc.cwnd()).isEqualTo(before + 1200);
        assertThat(1200L * (acks + 1)).isBetween(before, before + 1199); // grew when partial_bytes_acked reached cwnd

        long w = cc.cwnd();
        cc.onFastRetransmit(100);
        assertThat(cc.cwnd()).isEqualTo(Math.max(w / 2, 4800));
        assertThat(cc.inFastRecovery()).isTrue();
        cc.onFastRetransmit(120); // once per recovery
        assertThat(cc.cwnd()).isEqualTo(Math.max(w / 2, 4800));
        cc.onAck(1200, true, 99999, 100, 1);
        assertThat(cc.inFastRecovery()).isFalse();

        cc.onTimeout();
        assertThat(cc.cwnd()).isEqualTo(1200);
    }

    @Test
    void rtoFollowsRfc9260() {
        RtoEstimator r = new RtoEstimator();
        assertThat(r.rto()).isEqualTo(RtoEstimator.INITIAL_NANOS);
        r.measured(TimeUnit.MILLISECONDS.toNanos(100)); // SRTT 100, RTTVAR 50 -> 300
        assertThat(r.rto()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        r.measured(TimeUnit.MILLISECONDS.toNanos(100)); // RTTVAR 37.5, SRTT 100 -> 250
        assertThat(r.rto()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        r.backoff();
        assertThat(r.rto()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        for (int i = 0; i < 10; i++) r.backoff();
        assertThat(r.rto()).isEqualTo(RtoEstimator.MAX_NANOS);
        r.measured(TimeUnit.MICROSECONDS.toNanos(10));
        assertThat(r.rto()).isGreaterThanOrEqualTo(RtoEstimator.MIN_NANOS);
    }
}
