package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateCookieTest {
    private final CookieSigner signer = CookieSigner.random();
    private final StateCookie cookie = new StateCookie(1, 2, 3, 4, 131072, 65535, 1024, true, false, 0, 7, 1_000);

    @Test
    void roundTripsWhileFresh() {
        StateCookie.Decoded d = StateCookie.decode(signer, cookie.encode(signer), 1_000 + CookieSigner.LIFETIME_NANOS);
        assertThat(d.check()).isEqualTo(StateCookie.Check.VALID);
        assertThat(d.cookie()).isEqualTo(cookie);
    }

    @Test
    void rejectsStaleForgedAndForeignCookies() {
        byte[] b = cookie.encode(signer);
        assertThat(StateCookie.decode(signer, b, 1_001 + CookieSigner.LIFETIME_NANOS).check())
                .isEqualTo(StateCookie.Check.STALE);
        for (int i = 0; i < b.length; i++) {
            byte[] tampered = b.clone();
            tampered[i] ^= 0x10;
            assertThat(StateCookie.decode(signer, tampered, 1_000).check()).as("byte %d", i)
                    .isEqualTo(StateCookie.Check.FORGED);
        }
        assertThat(StateCookie.decode(CookieSigner.random(), b, 1_000).check()).isEqualTo(StateCookie.Check.FORGED);
        assertThat(StateCookie.decode(signer, new byte[3], 1_000).check()).isEqualTo(StateCookie.Check.FORGED);
    }
}
