package org.conclave.sfu.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class E2eeGuardTest {
    static final int VP8 = 96;
    static final int OPUS = 111;

    static FrameLayout.Codec[] codecs() {
        FrameLayout.Codec[] c = new FrameLayout.Codec[128];
        c[VP8] = FrameLayout.Codec.VP8;
        c[OPUS] = FrameLayout.Codec.OPUS;
        c[102] = FrameLayout.Codec.H264;
        return c;
    }

    /** hex of bytes | escaped | counter or -1 */
    @ParameterizedTest
    @CsvSource({
        "00 aabbccdd,           false, 0",    // KID 0 and CTR 0 inline
        "17 aabbccdd,           false, 7",    // K=1, C=7
        "80 ff aabbccdd,        false, 0",    // X: KID 255 in one byte
        "90 0102 aabbccdd,      false, -1",   // X with a 2-byte KID: not a key index
        "08 2a aabbccdd,        false, 42",   // Y: 1-byte CTR
        "0a 010203 aabbccdd,    false, 66051",
        "0f 0102030405060708 aabbccdd, false, -1", // 8-byte CTR: not ours
        "08 2a aabbcc,          false, -1",   // no room for the shortest tag
        "0a 01,                 false, -1",   // header cut short
        "'',                    false, -1",
        "0a 000003 01 aabbccdd, true,  1",    // 3-byte CTR 00 00 01, escaped on the wire
        "0a 000003 01 aabbccdd, false, 3",    // the same bytes read raw
    })
    void headerTable(String hex, boolean escaped, long counter) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThat(SFrameHeaderCheck.counter(b, 0, b.length, escaped, new byte[SFrameHeaderCheck.MAX_HEADER]))
                .isEqualTo(counter);
    }

    /** hex of an RTP payload | codec | expected header offset (-1 not a frame start, -2 malformed) */
    @ParameterizedTest
    @CsvSource({
        "10 504200 9d012a 8002 e001 00aabbccdd, VP8, 11", // S=1 PID=0, key frame (P=0): 10 clear bytes
        "10 01 0203 08aabbccdd,                VP8, 4",   // delta frame (P=1): 3 clear bytes
        "00 01 0203 08aabbccdd,                VP8, -1",  // S=0: continuation
        "11 01 0203 08aabbccdd,                VP8, -1",  // PID 1
        "90 80 05 01 0203 08aabbccdd,          VP8, 6",   // X, I with a 7-bit picture id
        "90 c0 8005 11 01 0203 08aabbccdd,     VP8, 8",   // X, I (15-bit), L
        "90,                                   VP8, -2",
        "10,                                   VP8, -2",
        "fc 08aabbccdd,                        OPUS, 1",
        "fc,                                   OPUS, -2",
        "65 88 08aabbccdd,                     H264, 2",  // IDR slice
        "7c 85 88 08aabbccdd,                  H264, 3",  // FU-A start of an IDR slice
        "7c 05 88 08aabbccdd,                  H264, -1", // FU-A continuation
        "78 000a 67,                           H264, -1", // STAP-A of parameter sets: clear
    })
    void layoutTable(String hex, FrameLayout.Codec codec, int offset) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThat(FrameLayout.headerOffset(codec, b, 0, b.length)).isEqualTo(offset);
    }

    @Test
    void forwardsEncryptedFramesAndRefusesPlaintextWithTheRestOfItsFrame() {
        E2eeGuard guard = new E2eeGuard(codecs());
        // The first frame teaches the counter (probation); encrypted frames with counters 2, 3 then pass.
        assertThat(guard.check(OPUS, 960L, opus(1), 0, 12)).isEqualTo(E2eeGuard.PROBATION);
        assertThat(guard.accept(OPUS, 1920L, opus(1), 0, 12)).as("a repeated counter").isFalse();
        for (int ctr = 2; ctr <= 3; ctr++) {
            assertThat(guard.accept(OPUS, ctr * 960L, opus(ctr), 0, 12)).isTrue();
        }
        // A replayed or backwards counter does not.
        assertThat(guard.accept(OPUS, 5000, opus(2), 0, 12)).isFalse();
        // Plain VP8: its first packet and every later packet of that frame (same timestamp) are refused.
        E2eeGuard video = new E2eeGuard(codecs());
        byte[] start = HexFormat.of().parseHex("10" + "504200" + "9d012a" + "8002e001" + "ff".repeat(40));
        byte[] next = HexFormat.of().parseHex("00" + "ab".repeat(40));
        assertThat(video.accept(VP8, 90_000, start, 0, start.length)).isFalse();
        assertThat(video.accept(VP8, 90_000, next, 0, next.length)).isFalse();
        assertThat(video.accept(VP8, 93_000, next, 0, next.length)).isTrue(); // a later frame's tail: unknown
        // Unknown payload types never pass.
        assertThat(video.accept(50, 1, next, 0, next.length)).isFalse();
    }

    @Test
    void retransmittedFramesPassWithoutDisturbingTheStream() {
        E2eeGuard guard = new E2eeGuard(codecs());
        assertThat(guard.checkRetransmission(OPUS, 960L, opus(1), 0, 12)).as("before probation")
                .isEqualTo(E2eeGuard.DROP);
        guard.check(OPUS, 960L, opus(1), 0, 12);
        for (int ctr = 2; ctr <= 5; ctr++) assertThat(guard.accept(OPUS, ctr * 960L, opus(ctr), 0, 12)).isTrue();
        // Frame 3 again (RTX after a NACK): a counter already seen passes as a retransmission only.
        assertThat(guard.checkRetransmission(OPUS, 3 * 960L, opus(3), 0, 12)).isEqualTo(E2eeGuard.FORWARD);
        assertThat(guard.accept(OPUS, 3 * 960L, opus(3), 0, 12)).as("the same as a new frame").isFalse();
        // Plaintext is no retransmission.
        byte[] plain = new byte[12];
        java.util.Arrays.fill(plain, (byte) 0xff); // header byte 0xff wants 17 bytes of KID and CTR: not SFrame
        assertThat(guard.checkRetransmission(OPUS, 4 * 960L, plain, 0, 12)).isEqualTo(E2eeGuard.DROP);
        // The stream goes on where it was.
        assertThat(guard.accept(OPUS, 6 * 960L, opus(6), 0, 12)).isTrue();
        // Frame 7's start was lost on the way and comes first as RTX: its newer counter is checked as a frame start.
        assertThat(guard.checkRetransmission(OPUS, 7 * 960L, opus(7), 0, 12)).isEqualTo(E2eeGuard.FORWARD);
        assertThat(guard.accept(OPUS, 8 * 960L, opus(7), 0, 12)).as("counter 7 now seen").isFalse();
    }

    @Test
    void randomPlaintextRarelySneaksThrough() {
        java.util.Random random = new java.util.Random(1);
        E2eeGuard guard = new E2eeGuard(codecs());
        int passed = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] frame = new byte[40];
            random.nextBytes(frame);
            if (guard.accept(OPUS, i, frame, 0, frame.length)) passed++;
        }
        assertThat(passed).as("random Opus frames forwarded").isLessThan(100);
    }

    @FuzzTest(maxDuration = "10s")
    void neverThrowsOrReadsOutside(byte[] data) {
        if (data.length < 2) return;
        E2eeGuard guard = new E2eeGuard(codecs());
        int pt = (data[0] & 1) == 0 ? VP8 : 102;
        byte[] padded = new byte[data.length + 8];
        Arrays.fill(padded, (byte) 0);
        System.arraycopy(data, 1, padded, 4, data.length - 1);
        guard.accept(pt, 1, padded, 4, data.length - 1);
        guard.accept(OPUS, 2, padded, 4, data.length - 1);
    }

    private static byte[] opus(int ctr) {
        byte[] b = new byte[12];
        b[0] = (byte) 0xfc;       // TOC
        b[1] = 0x08;              // X=0 KID 0, Y=1 with a 1-byte CTR
        b[2] = (byte) ctr;
        return b;
    }
}
