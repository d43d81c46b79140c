package org.conclave.bench.limit;

import java.net.InetSocketAddress;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.srtp.SrtpSession;

/** One client of the limit forwarder. Fields are the packet thread's, except {@link #address} (DTLS thread reads). */
final class LimitEndpoint {
    final String id;
    final IceLiteAgent ice;
    DtlsServerSession dtls;
    SrtpSession srtp;
    volatile InetSocketAddress address;

    LimitEndpoint(String id, IceLiteAgent ice) {
        this.id = id;
        this.ice = ice;
    }
}
