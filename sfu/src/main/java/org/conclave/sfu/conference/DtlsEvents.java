package org.conclave.sfu.conference;

import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.srtp.SrtpProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the DTLS threads report, already on the control thread. */
final class DtlsEvents implements DtlsLinks.Events {
    private static final Logger LOG = LoggerFactory.getLogger(ConferenceService.class);

    private final ConferenceService service;

    DtlsEvents(ConferenceService service) {
        this.service = service;
    }

    @Override
    public void connected(Endpoint e, SrtpProfile profile) {
        LOG.info("endpoint {} connected ({})", e.id, profile);
        e.connected();
        e.listener.onConnected(e.id);
        service.pollNow(e);
    }

    @Override
    public void failed(Endpoint e, FailureReason reason, String detail) {
        service.fail(e, reason, detail);
    }

    @Override
    public void clientClosed(Endpoint e) {
        service.end(e, CloseCause.CLIENT, "the client closed its connection (DTLS close_notify)");
    }
}
