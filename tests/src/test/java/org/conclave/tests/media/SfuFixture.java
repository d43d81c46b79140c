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
        Sfu sfu = Sfu.start(config);
        try {
            return new SfuFixture(sfu, new SignalServer(sfu.control()));
        } catch (IOException | RuntimeException e) {
            sfu.close();
            throw e;
        }
    }

    @Override
    public void close() {
        signal.close();
        sfu.close();
    }
}
