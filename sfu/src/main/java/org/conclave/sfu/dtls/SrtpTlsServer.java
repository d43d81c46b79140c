package org.conclave.sfu.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.conclave.sfu.srtp.SrtpProfile;

/** Bouncy Castle server side of DTLS-SRTP: DTLS 1.2, use_srtp, a required and pinned client certificate. */
@SuppressWarnings({"rawtypes", "unchecked"}) // Bouncy Castle's extension API uses raw Hashtables
final class SrtpTlsServer extends DefaultTlsServer {
    private final DtlsCertificate certificate;
    private final List<Fingerprint> clientFingerprints;
    private final DtlsSettings settings;
    private final HandshakeOutcome outcome;
    private SrtpProfile selected;

    SrtpTlsServer(DtlsCertificate certificate, List<Fingerprint> clientFingerprints, DtlsSettings settings,
                  HandshakeOutcome outcome) {
        super(certificate.crypto());
        this.certificate = certificate;
        this.clientFingerprints = clientFingerprints;
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
    protected boolean preferLocalCipherSuites() {
        return true;
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
        return false; // a self-signed certificate's own signature proves nothing; the fingerprint does
    }

    @Override
    public void notifySecureRenegotiation(boolean secureRenegotiation) {
        // Renegotiation is refused outright, so the client's support for the secure variant is irrelevant.
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw fail(FailureKind.NO_COMMON_SRTP_PROFILE, AlertDescription.handshake_failure,
                    "the DTLS client did not offer the use_srtp extension (RFC 5764), so no SRTP keys can be made");
        }
        selected = SrtpProfile.select(offered.getProtectionProfiles(), settings.srtpProfiles());
        if (selected == null) {
            throw fail(FailureKind.NO_COMMON_SRTP_PROFILE, AlertDescription.handshake_failure,
                    "no common SRTP protection profile: the client offered "
                            + DtlsSrtpPolicy.describeProfiles(offered.getProtectionProfiles()) + ", we accept "
                            + settings.srtpProfiles());
        }
        if (!TlsExtensionsUtils.hasExtendedMasterSecretExtension(clientExtensions)) {
            throw fail(FailureKind.OTHER, AlertDescription.handshake_failure,
                    "the DTLS client did not offer extended_master_secret (RFC 7627), without which SRTP keys "
                            + "must not be exported");
        }
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // We use no MKI, so answer with an empty one (RFC 5764 §4.1.1).
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {selected.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return DtlsSrtpPolicy.signer(context, certificate,
                context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, DtlsSrtpPolicy.acceptedPeerSignatures(), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        String mismatch = DtlsSrtpPolicy.checkFingerprint(clientCertificate, clientFingerprints, "client");
        if (mismatch != null) {
            throw fail(FailureKind.FINGERPRINT_MISMATCH, AlertDescription.bad_certificate, mismatch);
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        // Must happen here: accept() wipes the master secret as it returns.
        outcome.succeed(selected, DtlsSrtpPolicy.exportKeys(context, selected));
    }

    private TlsFatalAlert fail(FailureKind kind, short alert, String detail) {
        outcome.fail(kind, detail);
        return new TlsFatalAlert(alert, detail);
    }
}
