package org.conclave.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SrtpProfileTest {
    private static final SrtpProfile GCM = SrtpProfile.AEAD_AES_128_GCM;
    private static final SrtpProfile CM = SrtpProfile.AES_CM_128_HMAC_SHA1_80;

    /** Table: offered use_srtp ids, our preference -> chosen profile. */
    static Stream<Arguments> selections() {
        return Stream.of(
                Arguments.of(new int[] {0x0001, 0x0007}, List.of(GCM, CM), GCM),       // our preference wins
                Arguments.of(new int[] {0x0007, 0x0001}, List.of(CM, GCM), CM),
                Arguments.of(new int[] {0x0008, 0x0007, 0x0001, 0x0002}, List.of(GCM, CM), GCM), // Chrome-like list
                Arguments.of(new int[] {0x0002, 0x0001}, List.of(GCM, CM), CM),       // unknown ids skipped
                Arguments.of(new int[] {0x0002, 0x0008}, List.of(GCM, CM), null),     // nothing in common
                Arguments.of(new int[] {0x0001}, List.of(GCM), null),
                Arguments.of(new int[] {}, List.of(GCM, CM), null),
                Arguments.of(null, List.of(GCM, CM), null),
                Arguments.of(new int[] {0x10007, -1, 0x0007}, List.of(GCM, CM), GCM));
    }

    @ParameterizedTest
    @MethodSource("selections")
    void selectsOurFirstPreferenceThatWasOffered(int[] offered, List<SrtpProfile> preference, SrtpProfile expected) {
        assertThat(SrtpProfile.select(offered, preference)).isEqualTo(expected);
    }

    static Stream<Arguments> parameters() {
        // profile, id, key, salt, tag, RTCP overhead, exported bytes (RFC 5764 §4.1.2, RFC 7714 §14.2)
        return Stream.of(
                Arguments.of(GCM, 0x0007, 16, 12, 16, 20, 56),
                Arguments.of(CM, 0x0001, 16, 14, 10, 14, 60));
    }

    @ParameterizedTest
    @MethodSource("parameters")
    void hasTheRfcParameters(SrtpProfile p, int id, int key, int salt, int tag, int rtcpOverhead, int exported) {
        assertThat(p.id()).isEqualTo(id);
        assertThat(SrtpProfile.fromId(id)).isSameAs(p);
        assertThat(p.keyLength()).isEqualTo(key);
        assertThat(p.saltLength()).isEqualTo(salt);
        assertThat(p.tagLength()).isEqualTo(tag);
        assertThat(p.rtpOverhead()).isEqualTo(tag).isLessThanOrEqualTo(SrtpSession.MAX_RTP_OVERHEAD);
        assertThat(p.rtcpOverhead()).isEqualTo(rtcpOverhead).isLessThanOrEqualTo(SrtpSession.MAX_RTCP_OVERHEAD);
        assertThat(p.keyingMaterialLength()).isEqualTo(exported);
    }
}
