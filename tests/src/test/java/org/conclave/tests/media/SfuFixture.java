package org.conclave.tests.media;

import java.io.IOException;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.tests.harness.SignalServer;

/** A real SFU on an ephemeral loopback UDP port plus the HTTP signalling that test peers use. */
final class SfuFixture implements AutoCloseable {
    final Sfu sfu;
    final SignalServer signal;

    private SfuFixture(Sfu sfu, SignalServer signal) {
        this.sfu = sfu;
        this.signal = signal;
    }

    static SfuFixture start() throws IOException {
        return start(SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0));
    }

    static SfuFixture start(SfuConfig config) throws IOException {
        Sfu sfu = Sfu.start(sendPathFromEnvironment(config));
        try {
            return new SfuFixture(sfu, new SignalServer(sfu.control()));
        } catch (IOException | RuntimeException e) {
            sfu.close();
            throw e;
        }
    }

    /** CONCLAVE_SFU_UDP_SEND applies as on a server, so the media tests can run on either UDP send path. */
    private static SfuConfig sendPathFromEnvironment(SfuConfig config) {
        String mode = System.getenv("CONCLAVE_SFU_UDP_SEND");
        if (mode == null) return config;
        return config.withUdpSend(SfuConfig.fromYaml("sfu:\n  udp_port: 0\n",
                java.util.Map.of("CONCLAVE_SFU_UDP_SEND", mode)).udpSend());
    }

    @Override
    public void close() {
        signal.close();
        sfu.close();
    }
}
