package org.conclave.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SrtpSessionTest {
    private static final HexFormat HEX = HexFormat.of();

    // Known answers from libsrtp's test/srtp_driver.c (srtp_validate, srtp_validate_gcm): SSRC 0xcafebabe, seq 0x1234.
    private static final byte[] RTP_PLAIN = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
    private static final byte[] RTCP_PLAIN = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));
    private static final byte[] CM_KEY = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] CM_SALT = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
    private static final byte[] CM_SRTP = HEX.parseHex(
            "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
    private static final byte[] CM_SRTCP = HEX.parseHex(
            "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");
    private static final byte[] GCM_KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final byte[] GCM_SRTP = HEX.parseHex(
            "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392");
    private static final byte[] GCM_SRTCP = HEX.parseHex(
            "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001");

    static Stream<Arguments> knownAnswers() {
        return Stream.of(
                Arguments.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT, CM_SRTP, CM_SRTCP),
                Arguments.of(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, GCM_SRTP, GCM_SRTCP));
    }

    /** A pair where {@code key}/{@code salt} are the client's write key: the client protects, the server unprotects. */
    private static SrtpKeys clientWrites(SrtpProfile p, byte[] key, byte[] salt) {
        return new SrtpKeys(key, new byte[p.keyLength()], salt, new byte[p.saltLength()]);
    }

    @ParameterizedTest
    @MethodSource("knownAnswers")
    void protectRtpMatchesLibsrtp(SrtpProfile p, byte[] key, byte[] salt, byte[] srtp, byte[] srtcp) {
        SrtpSession client = new SrtpSession(p, clientWrites(p, key, salt), false);
        byte[] buf = Arrays.copyOf(RTP_PLAIN, RTP_PLAIN.length + SrtpSession.MAX_RTP_OVERHEAD);

        int n = client.protectRtp(buf, 0, RTP_PLAIN.length);

        assertThat(HEX.formatHex(buf, 0, n)).isEqualTo(HEX.formatHex(srtp));
    }

    @ParameterizedTest
    @MethodSource("knownAnswers")
    void unprotectMatchesLibsrtp(SrtpProfile p, byte[] key, byte[] salt, byte[] srtp, byte[] srtcp) {
        SrtpSession server = new SrtpSession(p, clientWrites(p, key, salt), true);
        byte[] rtp = srtp.clone();
        byte[] rtcp = srtcp.clone();

        assertThat(server.unprotectRtp(rtp, 0, rtp.length)).isEqualTo(RTP_PLAIN.length);
        assertThat(server.unprotectRtcp(rtcp, 0, rtcp.length)).isEqualTo(RTCP_PLAIN.length);
        assertThat(Arrays.copyOf(rtp, RTP_PLAIN.length)).isEqualTo(RTP_PLAIN);
        assertThat(Arrays.copyOf(rtcp, RTCP_PLAIN.length)).isEqualTo(RTCP_PLAIN);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void serverSendsWithServerWriteKey(SrtpProfile p) throws Exception {
        SrtpKeys keys = randomKeys(p, 7);
        SrtpSession server = new SrtpSession(p, keys, true);
        byte[] buf = rtp(1, 0x11223344, 40, 0, false, SrtpSession.MAX_RTP_OVERHEAD);
        int n = server.protectRtp(buf, 0, buf.length - SrtpSession.MAX_RTP_OVERHEAD);

        // Decrypt with jitsi-srtp directly, keyed with the server write key, independent of SrtpSession's mapping.
        SrtpContextFactory f = new SrtpContextFactory(false, keys.serverWriteKey(), keys.serverWriteSalt(),
                p.newPolicy(), p.newPolicy(), SilentJitsiLogger.INSTANCE);
        SrtpCryptoContext ctx = f.deriveContext(0x11223344, 0);
        PacketView view = new PacketView();
        view.wrap(buf, 0, n);
        assertThat(ctx.reverseTransformPacket(view, false)).isEqualTo(SrtpErrorStatus.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripsBothWaysWithCsrcsAndExtension(SrtpProfile p) {
        SrtpKeys keys = randomKeys(p, 1);
        SrtpSession server = new SrtpSession(p, keys, true);
        SrtpSession client = new SrtpSession(p, keys, false);
        for (int seq = 0; seq < 5; seq++) {
            assertRoundTrip(client, server, rtp(seq, 0xCAFEBABE, 100, 2, true, 16), 16, true);
            assertRoundTrip(server, client, rtp(seq, 0x01020304, 1000, 0, false, 16), 16, true);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripsBothWays(SrtpProfile p) {
        SrtpKeys keys = randomKeys(p, 2);
        SrtpSession server = new SrtpSession(p, keys, true);
        SrtpSession client = new SrtpSession(p, keys, false);
        for (int i = 0; i < 3; i++) {
            assertRoundTrip(client, server, rtcp(0xCAFEBABE, 28, 20), 20, false);
            assertRoundTrip(server, client, rtcp(0x55667788, 8, 20), 20, false);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtpAndRtcpAreRejected(SrtpProfile p) {
        SrtpKeys keys = randomKeys(p, 3);
        SrtpSession client = new SrtpSession(p, keys, false);
        SrtpSession server = new SrtpSession(p, keys, true);
        byte[] pkt = rtp(9, 42, 50, 0, false, 16);
        int n = client.protectRtp(pkt, 0, pkt.length - 16);
        byte[] copy = pkt.clone();
        assertThat(server.unprotectRtp(pkt, 0, n)).isEqualTo(62);
        assertThat(server.unprotectRtp(copy, 0, n)).isEqualTo(SrtpSession.ERR_REPLAY);

        byte[] c = rtcp(42, 20, 20);
        int m = client.protectRtcp(c, 0, c.length - 20);
        byte[] ccopy = c.clone();
        assertThat(server.unprotectRtcp(c, 0, m)).isEqualTo(c.length - 20);
        assertThat(server.unprotectRtcp(ccopy, 0, m)).isEqualTo(SrtpSession.ERR_REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsAreRejectedAndDoNotCreateStreams(SrtpProfile p) {
        SrtpKeys keys = randomKeys(p, 4);
        SrtpSession client = new SrtpSession(p, keys, false);
        SrtpSession server = new SrtpSession(p, keys, true);
        for (int at : new int[] {1, 3, 12, 30}) { // marker/PT, sequence number, payload, payload
            byte[] pkt = rtp(100 + at, 77, 40, 0, false, 16);
            int n = client.protectRtp(pkt, 0, pkt.length - 16);
            pkt[at] ^= 0x01;
            assertThat(server.unprotectRtp(pkt, 0, n)).as("flip at %d", at).isEqualTo(SrtpSession.ERR_AUTH);
        }
        byte[] tag = rtp(200, 77, 40, 0, false, 16);
        int n = client.protectRtp(tag, 0, tag.length - 16);
        tag[n - 1] ^= (byte) 0x80;
        assertThat(server.unprotectRtp(tag, 0, n)).isEqualTo(SrtpSession.ERR_AUTH);
        byte[] c = rtcp(77, 20, 20);
        int m = client.protectRtcp(c, 0, c.length - 20);
        c[10] ^= 0x40;
        assertThat(server.unprotectRtcp(c, 0, m)).isEqualTo(SrtpSession.ERR_AUTH);
        assertThat(server.inboundRtpStreams()).isZero();
        assertThat(server.internalErrors()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetsFromAnotherKeyAreRejected(SrtpProfile p) {
        SrtpSession client = new SrtpSession(p, randomKeys(p, 5), false);
        SrtpSession server = new SrtpSession(p, randomKeys(p, 6), true);
        byte[] pkt = rtp(1, 1, 40, 0, false, 16);
        int n = client.protectRtp(pkt, 0, pkt.length - 16);
        assertThat(server.unprotectRtp(pkt, 0, n)).isEqualTo(SrtpSession.ERR_AUTH);
    }

    @Test
    void unknownSsrcGarbageNeverExhaustsStreamSlots() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        SrtpKeys keys = randomKeys(p, 8);
        SrtpSession client = new SrtpSession(p, keys, false);
        SrtpSession server = new SrtpSession(p, keys, true);
        for (int ssrc = 0; ssrc < 10 * SrtpSession.MAX_INBOUND_STREAMS; ssrc++) {
            byte[] junk = rtp(1, ssrc, 60, 0, false, 0);
            assertThat(server.unprotectRtp(junk, 0, junk.length)).isEqualTo(SrtpSession.ERR_AUTH);
        }
        assertThat(server.inboundRtpStreams()).isZero();
        assertRoundTrip(client, server, rtp(1, 123456, 20, 0, false, 16), 16, true);
        assertThat(server.inboundRtpStreams()).isEqualTo(1);
    }

    @Test
    void inboundStreamsAreCapped() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpKeys keys = randomKeys(p, 9);
        SrtpSession client = new SrtpSession(p, keys, false);
        SrtpSession server = new SrtpSession(p, keys, true);
        for (int ssrc = 0; ssrc < SrtpSession.MAX_INBOUND_STREAMS; ssrc++) {
            assertRoundTrip(client, server, rtp(1, ssrc, 20, 0, false, 16), 16, true);
        }
        byte[] extra = rtp(1, 999_999, 20, 0, false, 16);
        int n = client.protectRtp(extra, 0, extra.length - 16);
        assertThat(server.unprotectRtp(extra, 0, n)).isEqualTo(SrtpSession.ERR_TOO_MANY_STREAMS);
        byte[] known = rtp(2, 5, 20, 0, false, 16); // established streams keep working
        int k = client.protectRtp(known, 0, known.length - 16);
        assertThat(server.unprotectRtp(known, 0, k)).isEqualTo(32);
    }

    @Test
    void outboundStreamsAreCapped() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        SrtpSession server = new SrtpSession(p, randomKeys(p, 10), true);
        for (int ssrc = 0; ssrc < SrtpSession.MAX_OUTBOUND_STREAMS; ssrc++) {
            byte[] pkt = rtp(1, ssrc, 10, 0, false, 16);
            assertThat(server.protectRtp(pkt, 0, pkt.length - 16)).isEqualTo(pkt.length);
        }
        byte[] pkt = rtp(1, -1, 10, 0, false, 16);
        assertThat(server.protectRtp(pkt, 0, pkt.length - 16)).isEqualTo(SrtpSession.ERR_TOO_MANY_STREAMS);
        assertThat(server.outboundRtpStreams()).isEqualTo(SrtpSession.MAX_OUTBOUND_STREAMS);
    }

    @Test
    void forgottenStreamsMakeRoomForNewOnesBothWays() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        SrtpKeys keys = randomKeys(p, 14);
        SrtpSession server = new SrtpSession(p, keys, true);
        SrtpSession client = new SrtpSession(p, keys, false);
        for (int ssrc = 0; ssrc < 3 * SrtpSession.MAX_OUTBOUND_STREAMS; ssrc++) {
            byte[] pkt = rtp(1, ssrc, 10, 0, false, 16);
            int n = server.protectRtp(pkt, 0, pkt.length - 16);
            assertThat(n).as("stream %d", ssrc).isEqualTo(pkt.length);
            assertThat(client.unprotectRtp(pkt, 0, n)).as("stream %d", ssrc).isEqualTo(pkt.length - 16);
            byte[] rr = rtcp(ssrc, 8, 20);
            int m = server.protectRtcp(rr, 0, 8);
            assertThat(m).isPositive();
            assertThat(client.unprotectRtcp(rr, 0, m)).isEqualTo(8);
            server.forgetOutbound(ssrc); // RTP and RTCP
            client.forgetInbound(ssrc);
        }
        assertThat(server.outboundRtpStreams()).isZero();
        assertThat(client.inboundRtpStreams()).isZero();
        server.forgetOutbound(12_345); // unknown: nothing happens
        client.forgetInbound(12_345);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectingTheSameSequenceNumberTwiceIsRefused(SrtpProfile p) {
        SrtpSession server = new SrtpSession(p, randomKeys(p, 11), true);
        byte[] a = rtp(5, 1, 10, 0, false, 16);
        byte[] b = rtp(5, 1, 10, 0, false, 16);
        assertThat(server.protectRtp(a, 0, a.length - 16)).isPositive();
        assertThat(server.protectRtp(b, 0, b.length - 16)).isEqualTo(SrtpSession.ERR_REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectNeedsRoomForTheTag(SrtpProfile p) {
        SrtpSession s = new SrtpSession(p, randomKeys(p, 12), true);
        byte[] rtp = rtp(1, 1, 10, 0, false, p.rtpOverhead() - 1);
        byte[] rtcp = rtcp(1, 8, p.rtcpOverhead() - 1);
        assertThat(s.protectRtp(rtp, 0, rtp.length - p.rtpOverhead() + 1)).isEqualTo(SrtpSession.ERR_NO_CAPACITY);
        assertThat(s.protectRtcp(rtcp, 0, rtcp.length - p.rtcpOverhead() + 1)).isEqualTo(SrtpSession.ERR_NO_CAPACITY);
    }

    @Test
    void workIsConfinedToTheGivenRange() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpKeys keys = randomKeys(p, 13);
        SrtpSession client = new SrtpSession(p, keys, false);
        SrtpSession server = new SrtpSession(p, keys, true);
        byte[] inner = rtp(3, 3, 30, 0, false, 0);
        byte[] buf = new byte[100 + inner.length + p.rtpOverhead() + 50];
        Arrays.fill(buf, (byte) 0x5A);
        System.arraycopy(inner, 0, buf, 100, inner.length);
        int n = client.protectRtp(buf, 100, inner.length);
        assertThat(n).isEqualTo(inner.length + p.rtpOverhead());
        assertThat(server.unprotectRtp(buf, 100, n)).isEqualTo(inner.length);
        assertThat(Arrays.copyOfRange(buf, 100, 100 + inner.length)).isEqualTo(inner);
        for (int i = 0; i < 100; i++) {
            assertThat(buf[i]).isEqualTo((byte) 0x5A);
        }
        for (int i = 100 + n; i < buf.length; i++) {
            assertThat(buf[i]).isEqualTo((byte) 0x5A);
        }
    }

    /** Table: input to unprotectRtp -> expected error (GCM, 16-byte tag). */
    static Stream<Arguments> malformedRtp() {
        return Stream.of(
                Arguments.of("empty", "", SrtpSession.ERR_MALFORMED),
                Arguments.of("header only, no tag", "80000001" + "00000000" + "00000001", SrtpSession.ERR_MALFORMED),
                Arguments.of("version 1", "40000001000000000000000" + "1" + "00".repeat(16), SrtpSession.ERR_MALFORMED),
                Arguments.of("version 0", "00000001000000000000000" + "1" + "00".repeat(16), SrtpSession.ERR_MALFORMED),
                Arguments.of("15 CSRCs missing", "8f000001000000000000000" + "1" + "00".repeat(16), SrtpSession.ERR_MALFORMED),
                Arguments.of("extension header cut", "90000001000000000000000" + "1" + "bede" + "00".repeat(14),
                        SrtpSession.ERR_MALFORMED),
                Arguments.of("extension longer than packet", "90000001000000000000000" + "1" + "bedeffff" + "00".repeat(16),
                        SrtpSession.ERR_MALFORMED),
                Arguments.of("well-formed but forged", "80000001000000000000000" + "1" + "00".repeat(20),
                        SrtpSession.ERR_AUTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRtp")
    void malformedRtpIsRejected(String name, String hex, int expected) {
        SrtpSession s = new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, randomKeys(SrtpProfile.AEAD_AES_128_GCM, 14), true);
        byte[] b = HEX.parseHex(hex);
        assertThat(s.unprotectRtp(b, 0, b.length)).isEqualTo(expected);
        assertThat(s.internalErrors()).isZero();
    }

    /** Table: input to unprotectRtcp -> expected error (HMAC-SHA1-80: needs 8 + 4 + 10 bytes). */
    static Stream<Arguments> malformedRtcp() {
        return Stream.of(
                Arguments.of("empty", "", SrtpSession.ERR_MALFORMED),
                Arguments.of("one short", "81c80006" + "00000001" + "80000001" + "00".repeat(9), SrtpSession.ERR_MALFORMED),
                Arguments.of("version 3", "c1c80006" + "00000001" + "80000001" + "00".repeat(10), SrtpSession.ERR_MALFORMED),
                Arguments.of("minimal forged", "81c80006" + "00000001" + "80000001" + "00".repeat(10), SrtpSession.ERR_AUTH),
                Arguments.of("unencrypted forged", "81c80006" + "00000001" + "00000001" + "00".repeat(10), SrtpSession.ERR_AUTH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRtcp")
    void malformedRtcpIsRejected(String name, String hex, int expected) {
        SrtpSession s = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                randomKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 15), true);
        byte[] b = HEX.parseHex(hex);
        assertThat(s.unprotectRtcp(b, 0, b.length)).isEqualTo(expected);
        assertThat(s.internalErrors()).isZero();
    }

    @Test
    void closedSessionRefusesEverything() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        SrtpSession s = new SrtpSession(p, randomKeys(p, 16), true);
        s.close();
        byte[] b = rtp(1, 1, 10, 0, false, 16);
        assertThat(s.protectRtp(b, 0, b.length - 16)).isEqualTo(SrtpSession.ERR_CLOSED);
        assertThat(s.unprotectRtp(b, 0, b.length)).isEqualTo(SrtpSession.ERR_CLOSED);
        assertThat(SrtpSession.describe(SrtpSession.ERR_CLOSED)).isEqualTo("session closed");
    }

    @Test
    void rangeOutsideTheArrayIsACallerBug() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        SrtpSession s = new SrtpSession(p, randomKeys(p, 17), true);
        assertThatThrownBy(() -> s.unprotectRtp(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void keysOfTheWrongProfileAreRefused() {
        assertThatThrownBy(() -> new SrtpSession(SrtpProfile.AEAD_AES_128_GCM,
                randomKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 1), true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aesBackendIsNeverBouncyCastle() {
        assertThat(SrtpSession.aesBackend()).isIn("OpenSSL", "SunJCE");
    }

    // --- helpers ---

    private static void assertRoundTrip(SrtpSession sender, SrtpSession receiver, byte[] pkt, int slack, boolean isRtp) {
        int len = pkt.length - slack;
        byte[] original = Arrays.copyOf(pkt, len);
        int n = isRtp ? sender.protectRtp(pkt, 0, len) : sender.protectRtcp(pkt, 0, len);
        int overhead = isRtp ? sender.profile().rtpOverhead() : sender.profile().rtcpOverhead();
        assertThat(n).isEqualTo(len + overhead);
        int from = isRtp ? len - 8 : 8;
        if (from < len) {
            assertThat(Arrays.copyOfRange(pkt, from, len))
                    .as("payload is encrypted").isNotEqualTo(Arrays.copyOfRange(original, from, len));
        }
        int m = isRtp ? receiver.unprotectRtp(pkt, 0, n) : receiver.unprotectRtcp(pkt, 0, n);
        assertThat(m).as(SrtpSession.describe(m)).isEqualTo(len);
        assertThat(Arrays.copyOf(pkt, m)).isEqualTo(original);
    }

    static SrtpKeys randomKeys(SrtpProfile p, long seed) {
        java.util.Random r = new java.util.Random(seed);
        byte[] m = new byte[p.keyingMaterialLength()];
        r.nextBytes(m);
        return SrtpKeys.fromKeyingMaterial(p, m);
    }

    /** An RTP packet with {@code csrcs} CSRCs, an optional one-byte-header extension, then {@code slack} spare bytes. */
    static byte[] rtp(int seq, int ssrc, int payload, int csrcs, boolean extension, int slack) {
        int ext = extension ? 8 : 0;
        byte[] b = new byte[12 + 4 * csrcs + ext + payload + slack];
        b[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs);
        b[1] = 96;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        int i = 12 + 4 * csrcs;
        if (extension) {
            b[i] = (byte) 0xBE;
            b[i + 1] = (byte) 0xDE;
            b[i + 3] = 1;
            b[i + 4] = 0x10;
            b[i + 5] = 0x7F;
        }
        for (int j = 12 + 4 * csrcs + ext; j < b.length - slack; j++) {
            b[j] = (byte) (j * 7);
        }
        return b;
    }

    /** A receiver report of {@code size} bytes from {@code ssrc}, then {@code slack} spare bytes. */
    static byte[] rtcp(int ssrc, int size, int slack) {
        byte[] b = new byte[size + slack];
        b[0] = (byte) 0x81;
        b[1] = (byte) 201;
        b[3] = (byte) (size / 4 - 1);
        b[4] = (byte) (ssrc >> 24);
        b[5] = (byte) (ssrc >> 16);
        b[6] = (byte) (ssrc >> 8);
        b[7] = (byte) ssrc;
        for (int j = 8; j < size; j++) {
            b[j] = (byte) (j * 13);
        }
        return b;
    }

    @Test
    void warmUpSetsUpEveryProfileOffThePacketThread() {
        assertThat(SrtpSession.warmUp()).isEqualTo(SrtpProfile.values().length);
    }
}
