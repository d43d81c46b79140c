package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    @Test
    void isASelfSignedP256CertificateWithTheAdvertisedValidity() throws Exception {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        DtlsCertificate c = DtlsCertificate.generate(now);
        X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.derEncoded()));

        x.verify(x.getPublicKey()); // self-signed
        assertThat(x.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) x.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(x.getSerialNumber().signum()).isPositive();
        assertThat(x.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofDays(30)));
        assertThat(x.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(365)));
        assertThat(c.tlsCertificate().getCertificateAt(0).getEncoded()).isEqualTo(c.derEncoded());
    }

    @Test
    void fingerprintIsUpperCaseColonHexOfSha256() {
        DtlsCertificate c = DtlsCertificate.generate();
        assertThat(c.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Fingerprint.parse("sha-256 " + c.sha256Fingerprint()).matches(c.derEncoded())).isTrue();
    }

    @Test
    void eachInstanceHasItsOwnKeyAndSerial() throws Exception {
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate xa = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(a.derEncoded()));
        X509Certificate xb = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.derEncoded()));
        assertThat(a.sha256Fingerprint()).isNotEqualTo(b.sha256Fingerprint());
        assertThat(xa.getSerialNumber()).isNotEqualTo(xb.getSerialNumber());
        assertThat(xa.getPublicKey()).isNotEqualTo(xb.getPublicKey());
    }
}
