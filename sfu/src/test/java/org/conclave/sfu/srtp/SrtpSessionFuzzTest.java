package org.conclave.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Arbitrary bytes into {@link SrtpSession}. Plain test runs replay the seeds under
 * {@code SrtpSessionFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SrtpSessionFuzzTest {
    private static final SrtpKeys GCM_KEYS = SrtpSessionTest.randomKeys(SrtpProfile.AEAD_AES_128_GCM, 99);
    private static final SrtpKeys CM_KEYS = SrtpSessionTest.randomKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 99);

    /**
     * First byte picks profile (bit 0) and RTP/RTCP (bit 1); the rest is the packet, placed at the very end of
     * its array so any read past {@code len} throws, after a sentinel prefix that must stay untouched.
     */
    @FuzzTest(maxDuration = "60s")
    void unprotect(byte[] data) {
        if (data.length == 0) {
            return;
        }
        SrtpProfile p = (data[0] & 1) == 0 ? SrtpProfile.AEAD_AES_128_GCM : SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpSession s = new SrtpSession(p, p == SrtpProfile.AEAD_AES_128_GCM ? GCM_KEYS : CM_KEYS, true);
        boolean rtcp = (data[0] & 2) != 0;
        int len = data.length - 1;
        byte[] buf = new byte[3 + len];
        buf[0] = buf[1] = buf[2] = 0x77;
        System.arraycopy(data, 1, buf, 3, len);

        int r = rtcp ? s.unprotectRtcp(buf, 3, len) : s.unprotectRtp(buf, 3, len);

        assertThat(r).as("garbage must not authenticate: %s", SrtpSession.describe(r)).isNegative();
        assertThat(s.internalErrors()).as("no exception inside jitsi-srtp").isZero();
        assertThat(Arrays.copyOf(buf, 3)).containsOnly(0x77);
    }

    /** Any RTP/RTCP the session accepts to protect must come back unchanged through the peer's session. */
    @FuzzTest(maxDuration = "60s")
    void protectThenUnprotect(byte[] data) {
        if (data.length == 0) {
            return;
        }
        SrtpProfile p = (data[0] & 1) == 0 ? SrtpProfile.AEAD_AES_128_GCM : SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpKeys keys = p == SrtpProfile.AEAD_AES_128_GCM ? GCM_KEYS : CM_KEYS;
        SrtpSession server = new SrtpSession(p, keys, true);
        SrtpSession client = new SrtpSession(p, keys, false);
        boolean rtcp = (data[0] & 2) != 0;
        int len = data.length - 1;
        int overhead = rtcp ? SrtpSession.MAX_RTCP_OVERHEAD : SrtpSession.MAX_RTP_OVERHEAD;
        byte[] buf = Arrays.copyOfRange(data, 1, 1 + len + overhead);

        int n = rtcp ? server.protectRtcp(buf, 0, len) : server.protectRtp(buf, 0, len);
        assertThat(server.internalErrors()).isZero();
        if (n < 0) {
            assertThat(n).isEqualTo(SrtpSession.ERR_MALFORMED);
            return;
        }
        assertThat(n).isEqualTo(len + (rtcp ? p.rtcpOverhead() : p.rtpOverhead()));
        int m = rtcp ? client.unprotectRtcp(buf, 0, n) : client.unprotectRtp(buf, 0, n);
        assertThat(m).as(SrtpSession.describe(m)).isEqualTo(len);
        assertThat(Arrays.copyOf(buf, len)).isEqualTo(Arrays.copyOfRange(data, 1, 1 + len));
        assertThat(client.internalErrors()).isZero();
    }
}
