package org.conclave.sfu.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The SFU's DTLS identity: a self-signed X.509 certificate on an ECDSA P-256 key (SHA256withECDSA), made once
 * per SFU instance. Peers pin it by the fingerprint in our SDP, so nothing else about it matters.
 */
public final class DtlsCertificate {
    /** Back-dated so a peer whose clock is behind still accepts it (browsers do not check, others might). */
    public static final Duration VALID_BEFORE = Duration.ofDays(30);
    public static final Duration VALID_AFTER = Duration.ofDays(365);
    private static final String SUBJECT = "CN=conclave-sfu";
    private static final int SERIAL_BITS = 64;

    private final BcTlsCrypto crypto;
    private final byte[] der;
    private final Certificate tlsCertificate;
    private final AsymmetricKeyParameter privateKey;
    private final Instant notBefore;
    private final Instant notAfter;

    private DtlsCertificate(BcTlsCrypto crypto, byte[] der, AsymmetricKeyParameter privateKey,
                            Instant notBefore, Instant notAfter) throws IOException {
        this.crypto = crypto;
        this.der = der;
        this.tlsCertificate = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
        this.privateKey = privateKey;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    /** A fresh key and certificate valid from 30 days ago to a year from now. */
    public static DtlsCertificate generate() {
        return generate(Instant.now());
    }

    /** As {@link #generate()}, with validity counted from {@code now}. */
    public static DtlsCertificate generate(Instant now) {
        SecureRandom random = new SecureRandom();
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = kpg.generateKeyPair();
            Instant notBefore = now.minus(VALID_BEFORE).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant notAfter = now.plus(VALID_AFTER).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            BigInteger serial = new BigInteger(SERIAL_BITS, random).setBit(SERIAL_BITS - 1); // positive, non-zero
            X500Name name = new X500Name(SUBJECT);
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(notBefore), Date.from(notAfter), name, kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random)
                            .build(kp.getPrivate()));
            return new DtlsCertificate(new CompactGcmCrypto(random), holder.getEncoded(),
                    PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()), notBefore, notAfter);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create the DTLS certificate", e);
        }
    }

    /** The SHA-256 fingerprint as upper-case colon-separated hex, for {@code a=fingerprint:sha-256 ...}. */
    public String sha256Fingerprint() {
        return fingerprint().hex();
    }

    /** The SHA-256 fingerprint. */
    public Fingerprint fingerprint() {
        return Fingerprint.of("sha-256", der);
    }

    /** The DER encoding of the certificate. */
    public byte[] derEncoded() {
        return der.clone();
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The chain (just this certificate) as Bouncy Castle TLS sends it. */
    public Certificate tlsCertificate() {
        return tlsCertificate;
    }

    /** The private key, for Bouncy Castle's signer. */
    public AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** The crypto provider the certificate was made with; sessions reuse it (it is thread-safe). */
    BcTlsCrypto crypto() {
        return crypto;
    }
}
