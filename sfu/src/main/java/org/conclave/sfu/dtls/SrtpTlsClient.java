package org.conclave.sfu.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.conclave.sfu.srtp.SrtpProfile;

/** Bouncy Castle client side of DTLS-SRTP: offers our SRTP profiles, pins the server's certificate. */
@SuppressWarnings({"rawtypes", "unchecked"}) // Bouncy Castle's extension API uses raw Hashtables
final class SrtpTlsClient extends DefaultTlsClient {
    private final DtlsCertificate certificate;
    private final List<Fingerprint> serverFingerprints;
    private final DtlsSettings settings;
    private final HandshakeOutcome outcome;
    private SrtpProfile selected;

    SrtpTlsClient(DtlsCertificate certificate, List<Fingerprint> serverFingerprints, DtlsSettings settings,
                  HandshakeOutcome outcome) {
        super(certificate.crypto());
        this.certificate = certificate;
        this.serverFingerprints = serverFingerprints;
        this.settings = settings;
        this.outcome = outcome;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return DtlsSrtpPolicy.supportedCipherSuites(getCrypto());
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) settings.handshakeTimeout().toMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return (int) settings.initialRetransmit().toMillis();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true; // Bouncy Castle refuses to export keying material without it (RFC 7627 §5.4)
    }

    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    @Override
    public void notifySecureRenegotiation(boolean secureRenegotiation) {
        // We never renegotiate.
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(DtlsSrtpPolicy.profileIds(settings.srtpProfiles()), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData answer = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (answer == null) {
            throw fail(FailureKind.NO_COMMON_SRTP_PROFILE, AlertDescription.handshake_failure,
                    "the DTLS server did not accept use_srtp; we offered " + settings.srtpProfiles());
        }
        int[] ids = answer.getProtectionProfiles();
        SrtpProfile profile = ids.length == 1 ? SrtpProfile.fromId(ids[0]) : null;
        if (profile == null || !settings.srtpProfiles().contains(profile)) {
            throw fail(FailureKind.NO_COMMON_SRTP_PROFILE, AlertDescription.illegal_parameter,
                    "the DTLS server chose SRTP profile " + DtlsSrtpPolicy.describeProfiles(ids)
                            + ", which is not exactly one of those we offered " + settings.srtpProfiles());
        }
        selected = profile;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                String mismatch = DtlsSrtpPolicy.checkFingerprint(serverCertificate.getCertificate(),
                        serverFingerprints, "server");
                if (mismatch != null) {
                    throw fail(FailureKind.FINGERPRINT_MISMATCH, AlertDescription.bad_certificate, mismatch);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return DtlsSrtpPolicy.signer(context, certificate, request.getSupportedSignatureAlgorithms());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        outcome.succeed(selected, DtlsSrtpPolicy.exportKeys(context, selected));
    }

    private TlsFatalAlert fail(FailureKind kind, short alert, String detail) {
        outcome.fail(kind, detail);
        return new TlsFatalAlert(alert, detail);
    }
}
