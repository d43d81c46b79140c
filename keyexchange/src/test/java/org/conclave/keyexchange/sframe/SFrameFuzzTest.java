package org.conclave.keyexchange.sframe;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.conclave.keyexchange.frame.FrameCodec;
import org.conclave.keyexchange.frame.FrameDecryptor;
import org.conclave.keyexchange.frame.FrameEncryptor;

/**
 * Fuzz targets for everything that parses received frame bytes: the header codec, SFrame decryption and the
 * codec-aware frame decryption. Only {@link SFrameException} may escape; inputs sit between guard bytes (0x00 once,
 * 0xFF once) so any read outside the frame would make the two runs disagree.
 */
class SFrameFuzzTest {
    private static final int GUARD = 8;
    private static final byte[] KEY = new byte[32];

    @FuzzTest(maxDuration = "60s")
    void headerDecode(byte[] data) {
        String low = decodeOutcome(embed(data, (byte) 0x00), data.length);
        String high = decodeOutcome(embed(data, (byte) 0xFF), data.length);
        assertThat(high).isEqualTo(low);
        if (!low.startsWith("SYNTAX")) {
            SFrameHeader h = decodeOrNull(data);
            assertThat(h.length()).isBetween(1, Math.min(data.length, SFrameHeader.MAX_LENGTH));
            // Re-encoding gives the minimal form: never longer than what was parsed.
            assertThat(SFrameHeader.encodedLength(h.kid(), h.ctr())).isLessThanOrEqualTo(h.length());
            byte[] again = SFrameHeader.encode(h.kid(), h.ctr());
            assertThat(decodeOrNull(again)).isEqualTo(new SFrameHeader(h.kid(), h.ctr(), again.length));
        }
    }

    @FuzzTest(maxDuration = "60s")
    void decrypt(FuzzedDataProvider data) {
        CipherSuite suite = CipherSuite.values()[data.consumeInt(0, CipherSuite.values().length - 1)];
        FrameCodec codec = FrameCodec.values()[data.consumeInt(0, FrameCodec.values().length - 1)];
        boolean startFromValidFrame = data.consumeBoolean();
        int flipAt = data.consumeInt(0, 1 << 16);
        byte flip = data.consumeByte();
        byte[] payload = data.consumeRemainingAsBytes();

        byte[] frame = payload;
        byte[] original = null;
        if (startFromValidFrame && payload.length > 0) {
            SFrameSender sender = new SFrameSender(suite);
            sender.useKey(1, KEY);
            try {
                frame = new FrameEncryptor(sender).encrypt(codec, payload);
                original = payload;
            } catch (IllegalArgumentException tooShortForItsCodec) {
                frame = payload;
            }
            if (frame.length > 0) {
                frame = frame.clone();
                frame[flipAt % frame.length] ^= flip;
            }
        }
        String low = decryptOutcome(suite, codec, embed(frame, (byte) 0x00), frame.length);
        String high = decryptOutcome(suite, codec, embed(frame, (byte) 0xFF), frame.length);
        assertThat(high).isEqualTo(low);
        if (original != null && flip == 0) {
            assertThat(low).isEqualTo("OK " + Arrays.toString(original));
        }
        if (original != null && flip != 0 && low.startsWith("OK") && codec != FrameCodec.H264) {
            // VP8, Opus and whole frames are authenticated in full: a changed frame never decrypts to other data.
            assertThat(low).isEqualTo("OK " + Arrays.toString(original));
        }
    }

    private static String decodeOutcome(byte[] b, int len) {
        try {
            return SFrameHeader.decode(b, GUARD, len).toString();
        } catch (SFrameException e) {
            return e.reason().toString();
        }
    }

    private static SFrameHeader decodeOrNull(byte[] b) {
        try {
            return SFrameHeader.decode(b, 0, b.length);
        } catch (SFrameException e) {
            return null;
        }
    }

    private static String decryptOutcome(CipherSuite suite, FrameCodec codec, byte[] b, int len) {
        SFrameReceiver receiver = new SFrameReceiver(suite);
        for (int kid = 0; kid < 4; kid++) {
            receiver.addKey(kid, KEY);
        }
        byte[] out = new byte[len + 2 * GUARD];
        try {
            int n = new FrameDecryptor(receiver).decrypt(codec, b, GUARD, len, out, GUARD);
            assertThat(n).isBetween(0, len);
            return "OK " + Arrays.toString(Arrays.copyOfRange(out, GUARD, GUARD + n));
        } catch (SFrameException e) {
            return e.reason().toString();
        }
    }

    private static byte[] embed(byte[] data, byte guard) {
        byte[] b = new byte[GUARD + data.length + GUARD];
        Arrays.fill(b, guard);
        System.arraycopy(data, 0, b, GUARD, data.length);
        return b;
    }
}
