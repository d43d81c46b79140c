package org.conclave.sfu.dtls;

import java.io.IOException;
import java.util.List;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;

/**
 * The DTLS client side of DTLS-SRTP (for Java test clients): offers our SRTP profiles and checks the server's
 * certificate against the server's SDP fingerprint.
 */
public final class DtlsClientSession extends DtlsSession {

    /** @param serverFingerprints the {@code a=fingerprint} values of the server's SDP */
    public DtlsClientSession(DtlsCertificate certificate, List<Fingerprint> serverFingerprints, PacketSender sender,
                             Listener listener) {
        this(certificate, serverFingerprints, sender, listener, DtlsSettings.DEFAULT);
    }

    public DtlsClientSession(DtlsCertificate certificate, List<Fingerprint> serverFingerprints, PacketSender sender,
                             Listener listener, DtlsSettings settings) {
        super(certificate, serverFingerprints, sender, listener, settings);
    }

    @Override
    DTLSTransport handshake(QueueDatagramTransport transport) throws IOException {
        SrtpTlsClient client = new SrtpTlsClient(certificate, remoteFingerprints, settings, outcome);
        return new DTLSClientProtocol().connect(client, transport);
    }

    @Override
    String role() {
        return "server";
    }
}
