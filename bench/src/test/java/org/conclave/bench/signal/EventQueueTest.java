package org.conclave.bench.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

public class EventQueueTest {
    @Test
    void forgetsWhatTheReaderHasRead() throws Exception {
        EventQueue q = new EventQueue();
        q.add("a", "offer", "v=0 a");
        q.add("b", "offer", "v=0 b");
        q.add("a", "offer", "v=0 a2");
        assertThat(q.after(0, 0)).extracting(BenchEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.after(2, 0)).extracting(BenchEvent::sdp).containsExactly("v=0 a2");
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.after(3, 0)).isEmpty();
        assertThat(q.size()).isZero();
        q.add("b", "close", null);
        assertThat(q.after(3, 0)).extracting(BenchEvent::seq).containsExactly(4L);
    }
}
