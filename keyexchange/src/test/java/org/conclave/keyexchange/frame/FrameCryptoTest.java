package org.conclave.keyexchange.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.conclave.keyexchange.testing.Hex.bytes;

import java.util.Arrays;
import java.util.Random;
import org.conclave.keyexchange.sframe.CipherSuite;
import org.conclave.keyexchange.sframe.SFrameException;
import org.conclave.keyexchange.sframe.SFrameHeader;
import org.conclave.keyexchange.sframe.SFrameReceiver;
import org.conclave.keyexchange.sframe.SFrameSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The frame layout: prefix in clear and authenticated, SFrame header right after it, payload unreadable. */
class FrameCryptoTest {
    private static final byte[] KEY = new byte[32];
    static final byte[] VP8_KEY_FRAME = bytes("50 42 00 9d 01 2a 80 02 e0 01 aa bb cc dd ee ff 00 11 22 33 44 55");
    static final byte[] VP8_DELTA_FRAME = bytes("31 0d 00 01 02 03 04 05 06 07 08 09");
    static final byte[] OPUS_FRAME = bytes("fc 01 02 03 04 05 06 07");
    static final byte[] H264_IDR = bytes("00 00 00 01 67 42 c0 1f 8c 8d 40 00 00 00 01 68 ce 3c 80"
            + " 00 00 00 01 65 88 84 00 00 01 00 00 00 00 00 03 00 00 01 ab cd");

    private FrameEncryptor encryptor;
    private FrameDecryptor decryptor;

    private void keys(CipherSuite suite) {
        SFrameSender sender = new SFrameSender(suite, 0);
        sender.useKey(2, KEY);
        SFrameReceiver receiver = new SFrameReceiver(suite);
        receiver.addKey(2, KEY);
        encryptor = new FrameEncryptor(sender);
        decryptor = new FrameDecryptor(receiver);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void vp8KeyFrameKeepsTenClearBytesThenTheSFrameHeader(CipherSuite suite) throws SFrameException {
        keys(suite);
        byte[] enc = encryptor.encrypt(FrameCodec.VP8, VP8_KEY_FRAME);
        assertThat(Arrays.copyOf(enc, 10)).isEqualTo(Arrays.copyOf(VP8_KEY_FRAME, 10));
        assertThat(ReadablePrefix.isVp8KeyFrame(enc, 0)).isTrue();      // what an SFU looks at
        assertThat(SFrameHeader.decode(enc, 10, enc.length - 10)).isEqualTo(new SFrameHeader(2, 0, 1));
        assertThat(enc).hasSize(VP8_KEY_FRAME.length + 1 + suite.tagLength());
        assertThat(Arrays.copyOfRange(enc, 11, 11 + 12)).isNotEqualTo(Arrays.copyOfRange(VP8_KEY_FRAME, 10, 22));
        assertThat(decryptor.decrypt(FrameCodec.VP8, enc)).isEqualTo(VP8_KEY_FRAME);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void vp8DeltaFrameKeepsThreeAndOpusOne(CipherSuite suite) throws SFrameException {
        keys(suite);
        byte[] delta = encryptor.encrypt(FrameCodec.VP8, VP8_DELTA_FRAME);
        assertThat(Arrays.copyOf(delta, 3)).isEqualTo(Arrays.copyOf(VP8_DELTA_FRAME, 3));
        assertThat(ReadablePrefix.isVp8KeyFrame(delta, 0)).isFalse();
        assertThat(SFrameHeader.decode(delta, 3, delta.length - 3).kid()).isEqualTo(2);
        assertThat(decryptor.decrypt(FrameCodec.VP8, delta)).isEqualTo(VP8_DELTA_FRAME);

        byte[] opus = encryptor.encrypt(FrameCodec.OPUS, OPUS_FRAME);
        assertThat(opus[0]).isEqualTo(OPUS_FRAME[0]);
        assertThat(SFrameHeader.decode(opus, 1, opus.length - 1).ctr()).isEqualTo(1);
        assertThat(decryptor.decrypt(FrameCodec.OPUS, opus)).isEqualTo(OPUS_FRAME);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void wholeFrameModeEncryptsEverything(CipherSuite suite) throws SFrameException {
        keys(suite);
        byte[] enc = encryptor.encrypt(FrameCodec.WHOLE_FRAME, VP8_KEY_FRAME);
        assertThat(SFrameHeader.decode(enc, 0, enc.length)).isEqualTo(new SFrameHeader(2, 0, 1));
        assertThat(enc).hasSize(VP8_KEY_FRAME.length + 1 + suite.tagLength());
        assertThat(decryptor.decrypt(FrameCodec.WHOLE_FRAME, enc)).isEqualTo(VP8_KEY_FRAME);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void h264KeepsNalHeadersAndEscapesTheRest(CipherSuite suite) throws SFrameException {
        keys(suite);
        int prefix = 25;   // IDR NAL header at 23, plus one slice byte
        assertThat(ReadablePrefix.length(FrameCodec.H264, H264_IDR, 0, H264_IDR.length)).isEqualTo(prefix);
        for (int i = 0; i < 50; i++) {   // different counters give different ciphertexts; all must survive
            byte[] enc = encryptor.encrypt(FrameCodec.H264, H264_IDR);
            assertThat(Arrays.copyOf(enc, prefix)).isEqualTo(Arrays.copyOf(H264_IDR, prefix));
            assertThat(ReadablePrefix.firstSliceNal(enc, 0, enc.length)).isEqualTo(23);
            assertThat(noStartCodeFrom(enc, prefix - 2)).isTrue();
            assertThat(decryptor.decrypt(FrameCodec.H264, enc)).isEqualTo(H264_IDR);
        }
    }

    @Test
    void h264CiphertextFullOfZerosStillHasNoStartCode() throws SFrameException {
        keys(CipherSuite.AES_128_CTR_HMAC_SHA256_32);
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] frame = Arrays.copyOf(H264_IDR, H264_IDR.length + random.nextInt(100));
            frame[24] = 0;   // slice byte zero: the escape state must carry over from the prefix
            byte[] enc = encryptor.encrypt(FrameCodec.H264, frame);
            assertThat(noStartCodeFrom(enc, 23)).isTrue();
            assertThat(decryptor.decrypt(FrameCodec.H264, enc)).isEqualTo(frame);
        }
    }

    @Test
    void tamperedPrefixFailsAuthentication() {
        keys(CipherSuite.AES_128_GCM_SHA256_128);
        byte[] enc = encryptor.encrypt(FrameCodec.VP8, VP8_KEY_FRAME);
        enc[7] ^= 1;    // width
        assertThatThrownBy(() -> decryptor.decrypt(FrameCodec.VP8, enc)).isInstanceOf(SFrameException.AuthFailure.class);
        byte[] h264 = encryptor.encrypt(FrameCodec.H264, H264_IDR);
        h264[24] ^= 1;  // slice byte: authenticated
        assertThatThrownBy(() -> decryptor.decrypt(FrameCodec.H264, h264))
                .isInstanceOf(SFrameException.AuthFailure.class);
    }

    @Test
    void keyFrameTurnedIntoDeltaByAnSfuIsRejected() {
        keys(CipherSuite.AES_128_GCM_SHA256_128);
        byte[] enc = encryptor.encrypt(FrameCodec.VP8, VP8_KEY_FRAME);
        enc[0] |= 1;
        assertThatThrownBy(() -> decryptor.decrypt(FrameCodec.VP8, enc)).isInstanceOf(SFrameException.class);
    }

    @Test
    void emptyFramesPassThroughAndShortFramesAreRefused() throws SFrameException {
        keys(CipherSuite.AES_128_GCM_SHA256_128);
        assertThat(encryptor.encrypt(FrameCodec.VP8, new byte[0])).isEmpty();
        assertThat(decryptor.decrypt(FrameCodec.VP8, new byte[0])).isEmpty();
        assertThatThrownBy(() -> encryptor.encrypt(FrameCodec.VP8, bytes("50 42 00 9d 01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10-byte readable prefix");
        assertThatThrownBy(() -> decryptor.decrypt(FrameCodec.VP8, bytes("50 42 00 9d 01 2a 80 02 e0 01")))
                .isInstanceOf(SFrameException.Syntax.class);
        assertThatThrownBy(() -> decryptor.decrypt(FrameCodec.OPUS, bytes("fc")))
                .isInstanceOf(SFrameException.Syntax.class);
    }

    @Test
    void outputFitsTheAnnouncedMaximum() {
        keys(CipherSuite.AES_128_CTR_HMAC_SHA256_80);
        byte[] zeros = Arrays.copyOf(H264_IDR, 1000);
        byte[] out = new byte[encryptor.maxOutputLength(zeros.length)];
        int n = encryptor.encrypt(FrameCodec.H264, zeros, 0, zeros.length, out, 0);
        assertThat(n).isLessThanOrEqualTo(out.length).isGreaterThan(zeros.length);
    }

    private static boolean noStartCodeFrom(byte[] b, int from) {
        for (int i = from; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && (b[i + 2] & 0xFF) <= 2) {
                return false;
            }
        }
        return true;
    }
}
