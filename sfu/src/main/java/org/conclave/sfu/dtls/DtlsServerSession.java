package org.conclave.sfu.dtls;

import java.io.IOException;
import java.util.List;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;

/**
 * The SFU's side of DTLS-SRTP: always the DTLS server (it answers offers with {@code a=setup:passive}).
 * Negotiates DTLS 1.2 with ECDHE-ECDSA, use_srtp (AEAD_AES_128_GCM preferred, then AES_CM_128_HMAC_SHA1_80),
 * the extended master secret, and requires a client certificate matching the client's SDP fingerprint.
 */
public final class DtlsServerSession extends DtlsSession {

    /**
     * @param clientFingerprints the {@code a=fingerprint} values of the client's SDP (session and/or media level);
     *                           the client's certificate must match one
     */
    public DtlsServerSession(DtlsCertificate certificate, List<Fingerprint> clientFingerprints, PacketSender sender,
                             Listener listener) {
        this(certificate, clientFingerprints, sender, listener, DtlsSettings.DEFAULT);
    }

    public DtlsServerSession(DtlsCertificate certificate, List<Fingerprint> clientFingerprints, PacketSender sender,
                             Listener listener, DtlsSettings settings) {
        super(certificate, clientFingerprints, sender, listener, settings);
    }

    @Override
    DTLSTransport handshake(QueueDatagramTransport transport) throws IOException {
        SrtpTlsServer server = new SrtpTlsServer(certificate, remoteFingerprints, settings, outcome);
        return new DTLSServerProtocol().accept(server, transport);
    }

    @Override
    String role() {
        return "client";
    }
}
