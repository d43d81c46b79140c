package org.conclave.sfu.dtls;

import java.io.IOException;
import java.util.List;
import java.util.Vector;
import java.util.stream.Collectors;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;

/** The choices shared by our DTLS server and client: suites, signatures, fingerprint check, key export. */
final class DtlsSrtpPolicy {
    /** ECDSA certificates only (what WebRTC stacks generate); AES-GCM first, CBC for old peers. */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    };

    private static final short[] ECDSA_HASHES = {HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512};

    private DtlsSrtpPolicy() {
    }

    /**
     * Signature algorithms we accept in the peer's CertificateVerify. The certificate is pinned by its SDP
     * fingerprint, so RSA is accepted as well as ECDSA for peers whose stack makes RSA certificates.
     */
    static Vector<SignatureAndHashAlgorithm> acceptedPeerSignatures() {
        Vector<SignatureAndHashAlgorithm> v = new Vector<>();
        for (short hash : ECDSA_HASHES) {
            v.add(SignatureAndHashAlgorithm.getInstance(hash, SignatureAlgorithm.ecdsa));
        }
        v.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        v.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha384);
        v.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        v.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa));
        return v;
    }

    /** Our ECDSA signer, using the strongest-first hash that the peer listed (SHA-256 if it listed none). */
    static TlsCredentialedSigner signer(TlsContext context, DtlsCertificate cert, Vector<?> peerSigAlgs)
            throws IOException {
        SignatureAndHashAlgorithm chosen = null;
        if (peerSigAlgs == null) {
            chosen = SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
        } else {
            for (short hash : ECDSA_HASHES) {
                SignatureAndHashAlgorithm candidate = SignatureAndHashAlgorithm.getInstance(hash, SignatureAlgorithm.ecdsa);
                if (peerSigAlgs.contains(candidate)) {
                    chosen = candidate;
                    break;
                }
            }
        }
        if (chosen == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer accepts no ECDSA signature");
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), cert.crypto(),
                cert.privateKey(), cert.tlsCertificate(), chosen);
    }

    /**
     * Checks the peer's end-entity certificate against its SDP fingerprints.
     *
     * @return null if one matches, else a sentence for {@link FailureKind#FINGERPRINT_MISMATCH}
     */
    static String checkFingerprint(Certificate chain, List<Fingerprint> expected, String peerRole) throws IOException {
        if (chain == null || chain.isEmpty()) {
            return "the DTLS " + peerRole + " sent no certificate, so its SDP fingerprint cannot be checked";
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        for (Fingerprint f : expected) {
            if (f.matches(der)) {
                return null;
            }
        }
        String actual = expected.stream().map(Fingerprint::hashFunction).distinct()
                .map(h -> Fingerprint.of(h, der).toSdpValue()).collect(Collectors.joining(", "));
        String wanted = expected.stream().map(Fingerprint::toSdpValue).collect(Collectors.joining(", "));
        return "the DTLS " + peerRole + "'s certificate has fingerprint " + actual
                + " but its SDP announced " + wanted;
    }

    /** Exports and splits the SRTP keying material (RFC 5764 §4.2); call from notifyHandshakeComplete. */
    static SrtpKeys exportKeys(TlsContext context, SrtpProfile profile) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        try {
            return SrtpKeys.fromKeyingMaterial(profile, material);
        } finally {
            java.util.Arrays.fill(material, (byte) 0);
        }
    }

    static int[] supportedCipherSuites(org.bouncycastle.tls.crypto.TlsCrypto crypto) {
        return TlsUtils.getSupportedCipherSuites(crypto, CIPHER_SUITES);
    }

    static int[] profileIds(List<SrtpProfile> profiles) {
        return profiles.stream().mapToInt(SrtpProfile::id).toArray();
    }

    static String describeProfiles(int[] ids) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            SrtpProfile p = SrtpProfile.fromId(ids[i]);
            sb.append(i == 0 ? "" : ", ").append(p != null ? p.name() : String.format("0x%04X", ids[i]));
        }
        return sb.append(']').toString();
    }
}
