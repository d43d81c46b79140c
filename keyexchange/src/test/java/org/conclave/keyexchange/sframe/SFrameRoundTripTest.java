package org.conclave.keyexchange.sframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encrypt/decrypt per suite and every rejection reason. */
class SFrameRoundTripTest {
    private static final byte[] BASE_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METADATA = {1, 2, 3};
    private static final byte[] FRAME = "a media frame of some length".getBytes(StandardCharsets.US_ASCII);

    private static SFrameSender sender(CipherSuite suite, long kid, byte[] key) {
        SFrameSender s = new SFrameSender(suite, 0);
        s.useKey(kid, key);
        return s;
    }

    private static SFrameReceiver receiver(CipherSuite suite, long kid, byte[] key) {
        SFrameReceiver r = new SFrameReceiver(suite);
        r.addKey(kid, key);
        return r;
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void roundTripsWithOverheadOfHeaderPlusTag(CipherSuite suite) throws SFrameException {
        SFrameSender s = sender(suite, 3, BASE_KEY);
        SFrameReceiver r = receiver(suite, 3, BASE_KEY);
        for (int i = 0; i < 20; i++) {
            byte[] ct = s.encrypt(FRAME, METADATA);
            assertThat(ct.length).isEqualTo(FRAME.length + SFrameHeader.encodedLength(3, i) + suite.tagLength());
            assertThat(SFrameHeader.decode(ct, 0, ct.length)).isEqualTo(
                    new SFrameHeader(3, i, SFrameHeader.encodedLength(3, i)));
            assertThat(r.decrypt(ct, METADATA)).isEqualTo(FRAME);
        }
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void emptyFrameRoundTrips(CipherSuite suite) throws SFrameException {
        byte[] ct = sender(suite, 0, BASE_KEY).encrypt(new byte[0], new byte[0]);
        assertThat(ct).hasSize(1 + suite.tagLength());
        assertThat(receiver(suite, 0, BASE_KEY).decrypt(ct, new byte[0])).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void everyFlippedBitFailsAuthentication(CipherSuite suite) {
        byte[] ct = sender(suite, 9, BASE_KEY).encrypt(FRAME, METADATA);
        int headerLength = SFrameHeader.encodedLength(9, 0);
        for (int i = headerLength; i < ct.length; i++) {
            byte[] bad = ct.clone();
            bad[i] ^= 0x40;
            assertThatThrownBy(() -> receiver(suite, 9, BASE_KEY).decrypt(bad, METADATA))
                    .as("byte %d", i).isInstanceOf(SFrameException.AuthFailure.class);
        }
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void metadataAndHeaderAreAuthenticated(CipherSuite suite) {
        byte[] ct = sender(suite, 9, BASE_KEY).encrypt(FRAME, METADATA);
        assertThatThrownBy(() -> receiver(suite, 9, BASE_KEY).decrypt(ct, new byte[] {1, 2, 4}))
                .isInstanceOf(SFrameException.AuthFailure.class);
        // Same KID and CTR written non-minimally: a different header, so a different AAD.
        assertThat(ct[0] & 0xFF).isEqualTo(0x80);       // KID 9 in one byte, CTR 0 inline
        byte[] reEncoded = new byte[ct.length + 1];
        reEncoded[0] = (byte) 0x88;        // KID in one byte, CTR 0 in one byte
        reEncoded[1] = 9;
        reEncoded[2] = 0;
        System.arraycopy(ct, 2, reEncoded, 3, ct.length - 2);
        assertThatThrownBy(() -> receiver(suite, 9, BASE_KEY).decrypt(reEncoded, METADATA))
                .isInstanceOf(SFrameException.AuthFailure.class);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void wrongKeyFailsAuthenticationAndUnknownKidIsUnknownKey(CipherSuite suite) {
        byte[] ct = sender(suite, 4, BASE_KEY).encrypt(FRAME, METADATA);
        assertThatThrownBy(() -> receiver(suite, 4, OTHER_KEY).decrypt(ct, METADATA))
                .isInstanceOf(SFrameException.AuthFailure.class);
        assertThatThrownBy(() -> receiver(suite, 5, BASE_KEY).decrypt(ct, METADATA))
                .isInstanceOfSatisfying(SFrameException.UnknownKey.class, e -> {
                    assertThat(e.kid()).isEqualTo(4);
                    assertThat(e.reason()).isEqualTo(SFrameException.Reason.UNKNOWN_KEY);
                });
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void replaysAndTooOldFramesAreRefusedButReorderingIsNot(CipherSuite suite) throws SFrameException {
        SFrameSender s = sender(suite, 1, BASE_KEY);
        byte[][] frames = new byte[200][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = s.encrypt(FRAME, METADATA);
        }
        SFrameReceiver r = receiver(suite, 1, BASE_KEY);
        r.decrypt(frames[150], METADATA);
        r.decrypt(frames[149], METADATA);                   // reordered: fine
        assertThatThrownBy(() -> r.decrypt(frames[150], METADATA))
                .isInstanceOfSatisfying(SFrameException.Replay.class,
                        e -> assertThat(e.reason()).isEqualTo(SFrameException.Reason.REPLAY));
        r.decrypt(frames[23], METADATA);                    // 127 behind the highest
        assertThatThrownBy(() -> r.decrypt(frames[22], METADATA)).isInstanceOf(SFrameException.Replay.class);
    }

    @Test
    void forgedFrameDoesNotMoveTheReplayWindow() throws SFrameException {
        CipherSuite suite = CipherSuite.AES_128_GCM_SHA256_128;
        SFrameSender s = sender(suite, 1, BASE_KEY);
        byte[] first = s.encrypt(FRAME, METADATA);
        byte[] forged = new byte[40];
        SFrameHeader.encode(1, 1_000_000, forged, 0);
        SFrameReceiver r = receiver(suite, 1, BASE_KEY);
        assertThatThrownBy(() -> r.decrypt(forged, METADATA)).isInstanceOf(SFrameException.AuthFailure.class);
        assertThat(r.decrypt(first, METADATA)).isEqualTo(FRAME);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void framesShorterThanTheTagAreSyntaxErrors(CipherSuite suite) {
        byte[] ct = sender(suite, 1, BASE_KEY).encrypt(new byte[0], new byte[0]);
        byte[] cut = Arrays.copyOf(ct, ct.length - 1);
        assertThatThrownBy(() -> receiver(suite, 1, BASE_KEY).decrypt(cut, new byte[0]))
                .isInstanceOfSatisfying(SFrameException.Syntax.class,
                        e -> assertThat(e.reason()).isEqualTo(SFrameException.Reason.SYNTAX));
    }

    @Test
    void counterKeepsRunningAcrossKeysSoReinstallingAKeyNeverReusesANonce() throws SFrameException {
        CipherSuite suite = CipherSuite.AES_128_GCM_SHA256_128;
        SFrameSender s = sender(suite, 0, BASE_KEY);
        byte[] a = s.encrypt(FRAME, METADATA);
        s.useKey(1, OTHER_KEY);
        s.encrypt(FRAME, METADATA);
        s.useKey(0, BASE_KEY);
        byte[] c = s.encrypt(FRAME, METADATA);
        long first = SFrameHeader.decode(a, 0, a.length).ctr();
        assertThat(SFrameHeader.decode(c, 0, c.length).ctr()).isEqualTo(first + 2);
        assertThat(Arrays.copyOfRange(c, 1, c.length)).isNotEqualTo(Arrays.copyOfRange(a, 1, a.length));
    }

    @Test
    void firstCountersAreRandomFourByteValuesSoEveryHeaderCarriesFour() throws SFrameException {
        java.util.Set<Long> firsts = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            long c = new SFrameSender(CipherSuite.DEFAULT).nextCounter();
            assertThat(c).isBetween(SFrameSender.FIRST_COUNTER_MIN,
                    SFrameSender.FIRST_COUNTER_MIN + SFrameSender.FIRST_COUNTER_SPAN - 1);
            firsts.add(c);
        }
        assertThat(firsts).hasSizeGreaterThan(45);
        SFrameSender random = new SFrameSender(CipherSuite.DEFAULT);
        random.useKey(3, BASE_KEY);
        byte[] ct = random.encrypt(FRAME, METADATA);
        assertThat(SFrameHeader.decode(ct, 0, ct.length).length()).as("config byte and a 4-byte counter").isEqualTo(5);
        assertThat(new SFrameSender(CipherSuite.DEFAULT, 9).nextCounter()).isEqualTo(9);
    }

    @Test
    void keysCanBeRemovedAndReplaced() throws SFrameException {
        CipherSuite suite = CipherSuite.AES_256_GCM_SHA512_128;
        SFrameReceiver r = new SFrameReceiver(suite);
        for (int kid = 0; kid < 20; kid++) {
            r.addKey(kid, BASE_KEY);
        }
        assertThat(r.keyCount()).isEqualTo(20);
        assertThat(r.removeKey(7)).isTrue();
        assertThat(r.removeKey(7)).isFalse();
        assertThat(r.hasKey(7)).isFalse();
        assertThat(r.hasKey(19)).isTrue();
        byte[] ct = sender(suite, 19, OTHER_KEY).encrypt(FRAME, METADATA);
        assertThatThrownBy(() -> r.decrypt(ct, METADATA)).isInstanceOf(SFrameException.AuthFailure.class);
        r.addKey(19, OTHER_KEY);
        assertThat(r.keyCount()).isEqualTo(19);
        assertThat(r.decrypt(ct, METADATA)).isEqualTo(FRAME);
    }

    @Test
    void offsetsAreHonoured() throws SFrameException {
        CipherSuite suite = CipherSuite.AES_128_CTR_HMAC_SHA256_80;
        SFrameSender s = sender(suite, 300, BASE_KEY);
        byte[] in = new byte[100];
        new Random(1).nextBytes(in);
        byte[] out = new byte[200];
        int n = s.encrypt(in, 10, 50, in, 5, 4, out, 7);
        byte[] plain = new byte[120];
        int m = receiver(suite, 300, BASE_KEY).decrypt(out, 7, n, in, 5, 4, plain, 3);
        assertThat(Arrays.copyOfRange(plain, 3, 3 + m)).isEqualTo(Arrays.copyOfRange(in, 10, 60));
    }

    @Test
    void senderWithoutKeyRefusesToEncrypt() {
        assertThatThrownBy(() -> new SFrameSender(CipherSuite.DEFAULT).encrypt(FRAME, METADATA))
                .isInstanceOf(IllegalStateException.class);
    }
}
