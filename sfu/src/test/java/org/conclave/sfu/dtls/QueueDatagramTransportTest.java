package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueDatagramTransportTest {

    /**
     * Bouncy Castle closes the transport when a handshake fails, before the session reports the failure: the marker
     * that closing queues is not a datagram left unread (DtlsServerSessionFuzzTest's crash-286ad407… saw it as one).
     */
    @Test
    void pendingCountsDatagramsNotTheMarkerClosingQueues() throws Exception {
        QueueDatagramTransport transport = new QueueDatagramTransport(4, (b, off, len) -> { });
        transport.offer(new byte[] {22, 1, 2}, 0, 3);
        assertThat(transport.pending()).isEqualTo(1);

        byte[] buffer = new byte[16];
        assertThat(transport.receive(buffer, 0, buffer.length, 100)).isEqualTo(3);
        assertThat(transport.pending()).isZero();

        transport.close();
        assertThat(transport.pending()).isZero();
        transport.requestClose(true);
        assertThat(transport.pending()).isZero();
    }

    @Test
    void droppedDatagramsAreNotPending() {
        QueueDatagramTransport transport = new QueueDatagramTransport(1, (b, off, len) -> { });
        transport.offer(new byte[] {22}, 0, 1);
        transport.offer(new byte[] {23}, 0, 1);
        transport.offer(new byte[0], 0, 0);
        assertThat(transport.pending()).isEqualTo(1);
        assertThat(transport.dropped()).isEqualTo(2);
    }
}
