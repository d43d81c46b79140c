package org.conclave.sfu.e2ee;

import org.conclave.sfu.codec.CodecFamily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.sfu.e2ee.SFramePackets.FIRST;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class E2eeGuardTest {
    private final SFramePackets p = new SFramePackets();
    private final E2eeGuard guard = new E2eeGuard();
    private long now = 1_000_000_000L;
    /** Packets refused while the endpoint was trusted. */
    private int refusedWhileTrusted;

    /** One incoming stream of the endpoint: its frames and its RTP numbering. */
    private final class Stream {
        final StreamFrames frames = new StreamFrames();
        final CodecFamily codec;
        int seq = 100;
        long ts = 5000;

        Stream(CodecFamily codec) {
            this.codec = codec;
        }

        /** A new frame of one packet; returns the verdict. */
        int frame(byte[] payload) {
            ts += 960;
            return packet(seq++, ts, payload, false);
        }

        int packet(int sequence, long timestamp, byte[] payload, boolean rtx) {
            now += 5_000_000;
            boolean trusted = guard.state() == E2eeState.FORWARDING;
            int v = guard.check(frames, codec, sequence, timestamp, payload, 0, payload.length, rtx, now);
            if (trusted && !forwarded(v)) refusedWhileTrusted++;
            return v;
        }
    }

    private static boolean forwarded(int verdict) {
        return verdict == E2eeGuard.FORWARD || verdict == E2eeGuard.FORWARD_TRUSTED;
    }

    /** hex | accepted | kid | counter */
    @ParameterizedTest
    @CsvSource({
        "0b 01000000 aabbccdd,       true,  0, 16777216",  // KID 0 inline, 4-byte counter 2^24
        "3b 01020304 aabbccdd,       true,  3, 16909060",
        "8b 2a 01020304 aabbccdd,    true,  42, 16909060", // X: KID 42 in one byte
        "8b 05 01020304 aabbccdd,    false, 0, 0",         // KID 5 not in its shortest form
        "9b 0001 01020304 aabbccdd,  false, 0, 0",         // a 2-byte KID: not a key index
        "0b 00010203 aabbccdd,       false, 0, 0",         // counter with a leading zero byte: not minimal
        "0a 010203 aabbccdd,         false, 0, 0",         // 3-byte counter: below 2^24, not ours
        "07 aabbccdd,                false, 0, 0",         // inline counter 7
        "39 2a 00 11 22 33 44 55,    false, 0, 0",         // libvpx key frame at offset 10: 2-byte counter
        "0e 01020304050607 aabbccdd, true,  0, 283686952306183",
        "0f 0102030405060708 aabbccdd, false, 0, 0",       // 8-byte counter: not ours
        "0b 01020304 aabbcc,         false, 0, 0",         // no room for the shortest tag
        "0b 0102,                    false, 0, 0",         // cut short
        "'',                         false, 0, 0",
    })
    void headerTable(String hex, boolean accepted, int kid, long counter) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        SFrameHeaderReader r = new SFrameHeaderReader();
        assertThat(r.read(b, 0, b.length, false, 0)).isEqualTo(accepted);
        if (accepted) {
            assertThat(r.kid()).isEqualTo(kid);
            assertThat(r.counter()).isEqualTo(counter);
        }
    }

    @Test
    void escapedHeadersAreReadAsTheSenderWroteThem() {
        SFrameHeaderReader r = new SFrameHeaderReader();
        // Counter 01 00 00 00 01: after two zeros the sender escaped the 01 with a 03.
        byte[] b = HexFormat.of().parseHex("0c 01000003 0001 aabbccdd".replace(" ", ""));
        assertThat(r.read(b, 0, b.length, true, 0)).isTrue();
        assertThat(r.counter()).isEqualTo(0x0100000001L);
        assertThat(r.read(b, 0, b.length, false, 0)).as("read raw").isTrue();
        assertThat(r.counter()).isEqualTo(0x0100000300L);
    }

    /** hex of an RTP payload | codec | header offset (-1 not a frame start, -2 malformed, -3 empty) | end */
    @ParameterizedTest
    @CsvSource({
        "10 504200 9d012a 8002 e001 00aabbccdd,  VP8, 11, 16", // S=1 PID=0, key frame: 10 clear bytes
        "10 01 0203 08aabbccdd,                 VP8, 4, 9",   // delta frame: 3 clear bytes
        "00 01 0203 08aabbccdd,                 VP8, -1, 0",   // S=0: continuation
        "11 01 0203 08aabbccdd,                 VP8, -1, 0",   // PID 1
        "90 80 05 01 0203 08aabbccdd,           VP8, 6, 11",   // X, I with a 7-bit picture id
        "90 c0 8005 11 01 0203 08aabbccdd,      VP8, 8, 13",   // X, I (15-bit), L
        "90,                                    VP8, -2, 0",
        "10,                                    VP8, -2, 0",
        "'',                                    VP8, -3, 0",
        "fc 08aabbccdd,                         OPUS, 1, 6",
        "fc,                                    OPUS, -2, 0",
        "65 88 08aabbccdd,                      H264, 2, 7",   // IDR slice
        "7c 85 88 08aabbccdd,                   H264, 3, 8",   // FU-A start of an IDR slice
        "7c 05 88 08aabbccdd,                   H264, -1, 0",  // FU-A continuation
        "7c 87 88 08aabbccdd,                   H264, -1, 0",  // FU-A start of a PPS
        "78 0002 6742 0002 68ce,                H264, -1, 0",  // STAP-A of parameter sets: clear
        "78 0002 6742 0002 68ce 0006 6588 08aabbcc 0001 06, H264, 13, 17", // STAP-A with the slice: header inside
        "78 0002 6742 0009 68,                  H264, -2, 0",  // an aggregation unit past the end
        "78 0000 6742,                          H264, -2, 0",
    })
    void layoutTable(String hex, CodecFamily codec, int offset, int end) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        long at = FrameLayout.locate(codec, b, 0, b.length);
        if (offset < 0) {
            assertThat(at).isEqualTo(offset);
        } else {
            assertThat(FrameLayout.offset(at)).isEqualTo(offset);
            assertThat(FrameLayout.end(at)).isEqualTo(end);
        }
    }

    /** Sequence "kid:counter" pairs recorded when NEW; then the last one's classification. */
    @ParameterizedTest
    @CsvSource({
        "'0:100 0:101 0:102', 0:103, NEW",
        "'0:100 0:101 0:102', 0:99, NEW",          // late (reordered) frame
        "'0:100 0:101 0:102', 0:101, SEEN",
        "'0:100 0:1100 0:2100 0:3100 0:4100 0:5100 0:6100 0:7100 0:8100 0:9100', 0:907, INCONSISTENT", // 8193 behind
        "'0:100 0:1100 0:2100 0:3100 0:4100 0:5100 0:6100 0:7100 0:8100 0:9100', 0:909, NEW",
        "'0:100', 0:1124, NEW",                     // 1024 ahead: the slack
        "'0:100', 0:1129, NEW",                     // 5 ms later: 1024 + 5 frames
        "'0:100', 0:1130, INCONSISTENT",            // more than the sender can have made
        "'0:100 0:101', 1:102, NEW",                // the next key
        "'0:100 0:101', 16:102, NEW",               // 16 keys on
        "'0:100 0:101', 17:102, INCONSISTENT",
        "'0:100 0:101', 1:99, INCONSISTENT",        // a new key is newer than everything seen
        "'0:100 0:101 1:105', 0:103, NEW",          // the previous key, older than its successor
        "'0:100 0:101 1:105', 0:106, INCONSISTENT", // the previous key after its successor started
        "'0:100 0:101 1:105', 1:103, NEW",          // the new key, reordered
        "'0:100 0:101 1:105 1:103', 0:104, INCONSISTENT",
        "'250:100', 2:101, NEW",                    // indexes wrap at 256
    })
    void counterTable(String recorded, String frame, String expected) {
        SenderCounter c = new SenderCounter();
        long t = 0;
        for (String r : recorded.split(" ")) {
            String[] kc = r.split(":");
            t += 5_000_000;
            int kid = Integer.parseInt(kc[0]);
            long ctr = Long.parseLong(kc[1]) + FIRST;
            assertThat(c.classify(kid, ctr, t)).as(r).isEqualTo(SenderCounter.NEW);
            c.record(kid, ctr, t);
        }
        String[] kc = frame.split(":");
        int verdict = c.classify(Integer.parseInt(kc[0]), Long.parseLong(kc[1]) + FIRST, t + 5_000_000);
        assertThat(new String[] {"NEW", "SEEN", "INCONSISTENT"}[verdict]).isEqualTo(expected);
    }

    @Test
    void nothingIsForwardedUntilEightFramesAgreeThenEverythingConsistentIs() {
        Stream audio = new Stream(CodecFamily.OPUS);
        long ctr = FIRST;
        for (int i = 1; i < E2eeGuard.LEARNING_FRAMES; i++) {
            assertThat(audio.frame(p.opus(0, ctr++))).as("frame %d", i).isEqualTo(E2eeGuard.REFUSE);
        }
        assertThat(guard.state()).isEqualTo(E2eeState.LEARNING);
        assertThat(audio.frame(p.opus(0, ctr++))).isEqualTo(E2eeGuard.FORWARD_TRUSTED);
        assertThat(guard.state()).isEqualTo(E2eeState.FORWARDING);
        for (int i = 0; i < 100; i++) assertThat(audio.frame(p.opus(0, ctr++))).isEqualTo(E2eeGuard.FORWARD);
        assertThat(guard.framesForwarded()).isEqualTo(101);
        assertThat(guard.framesRefused()).isEqualTo(7);
    }

    @Test
    void oneCounterAcrossAudioSimulcastLayersWithLossReorderingAndRepairs() {
        Stream audio = new Stream(CodecFamily.OPUS);
        Stream[] layers = {new Stream(CodecFamily.VP8), new Stream(CodecFamily.VP8),
                new Stream(CodecFamily.H264)};
        java.util.Random r = new java.util.Random(3);
        long ctr = FIRST + 1000;
        int forwarded = 0;
        int frames = 0;
        java.util.ArrayDeque<Runnable> late = new java.util.ArrayDeque<>();
        int[] lateForwarded = new int[1];
        for (int round = 0; round < 400; round++) {
            // Audio every round, each video layer every other; the counter goes up per frame, whatever the stream.
            long c = ctr++;
            boolean lost = r.nextInt(20) == 0;
            if (!lost) forwarded += forwarded(audio.frame(p.opus(0, c))) ? 1 : 0;
            frames++;
            if (round % 2 == 0) {
                for (Stream s : layers) {
                    long vc = ctr++;
                    byte[] start = s.codec == CodecFamily.H264 ? p.h264Single(0, vc) : p.vp8Start(0, vc);
                    s.ts += 3000;
                    int seq = s.seq++;
                    long ts = s.ts;
                    frames++;
                    if (r.nextInt(10) == 0) {
                        // The start is lost on the way; the rest arrives, the start comes later as RTX.
                        if (s.codec == CodecFamily.VP8) {
                            boolean trusted = guard.state() == E2eeState.FORWARDING;
                            assertThat(forwarded(s.packet(s.seq++, ts, p.vp8More(), false))).isEqualTo(trusted);
                        }
                        late.add(() -> lateForwarded[0] += forwarded(s.packet(seq, ts, start, true)) ? 1 : 0);
                    } else if (r.nextInt(10) == 0) {
                        // Reordered behind later frames of other streams.
                        late.add(() -> lateForwarded[0] += forwarded(s.packet(seq, ts, start, false)) ? 1 : 0);
                    } else {
                        boolean passed = forwarded(s.packet(seq, ts, start, false));
                        forwarded += passed ? 1 : 0;
                        if (passed && r.nextInt(10) == 0) {
                            // A retransmission of a start that had arrived (the NACK crossed it).
                            assertThat(forwarded(s.packet(seq, ts, start, true))).isTrue();
                        }
                    }
                }
            }
            if (late.size() > 3 || r.nextInt(4) == 0) {
                while (!late.isEmpty()) late.poll().run();
            }
        }
        while (!late.isEmpty()) late.poll().run();
        assertThat(guard.state()).isEqualTo(E2eeState.FORWARDING);
        assertThat(guard.holds()).isZero();
        // Only probation and the lost audio frames are missing.
        assertThat(forwarded + lateForwarded[0]).isGreaterThan(frames * 9 / 10);
        assertThat(refusedWhileTrusted).isZero();
        assertThat(guard.framesRefusedWhileForwarding()).isZero();
    }

    @Test
    void keyRotationKeepsFramesOfBothKeysFlowing() {
        Stream audio = new Stream(CodecFamily.OPUS);
        Stream video = new Stream(CodecFamily.VP8);
        long ctr = FIRST;
        for (int i = 0; i < 20; i++) audio.frame(p.opus(7, ctr++));
        long old = ctr++;
        // Key 7 -> 8 (8 needs the extended form): the video frame of the old key arrives after new-key audio.
        for (int i = 0; i < 5; i++) assertThat(audio.frame(p.opus(8, ctr++))).isEqualTo(E2eeGuard.FORWARD);
        assertThat(video.frame(p.vp8Start(7, old))).isEqualTo(E2eeGuard.FORWARD);
        assertThat(audio.frame(p.opus(7, ctr++))).as("the old key after the change").isEqualTo(E2eeGuard.REFUSE);
        assertThat(audio.frame(p.opus(8, ctr++))).isEqualTo(E2eeGuard.FORWARD);
        assertThat(audio.frame(p.opus(200, ctr++))).as("a key index out of nowhere").isEqualTo(E2eeGuard.REFUSE);
        assertThat(guard.state()).isEqualTo(E2eeState.FORWARDING);
    }

    @Test
    void aReplayedOrDuplicatedCounterIsRefusedButARepeatedStartPasses() {
        Stream audio = new Stream(CodecFamily.OPUS);
        long ctr = FIRST;
        for (int i = 0; i < 10; i++) audio.frame(p.opus(0, ctr++));
        assertThat(audio.frame(p.opus(0, ctr - 3))).as("a new frame with a used counter").isEqualTo(E2eeGuard.REFUSE);
        byte[] same = p.opus(0, ctr);
        assertThat(audio.frame(same)).isEqualTo(E2eeGuard.FORWARD);
        assertThat(audio.packet(audio.seq - 1, audio.ts, same, false)).as("the packet duplicated")
                .isEqualTo(E2eeGuard.FORWARD);
    }

    @Test
    void plaintextIsHeldAfterSixteenFailuresAndNothingOfItPasses() {
        Stream video = new Stream(CodecFamily.VP8);
        java.util.Random r = new java.util.Random(5);
        int held = 0;
        for (int i = 0; i < 200; i++) {
            byte[] start = p.bytes(200);
            start[0] = 0x10; // S=1, PID=0
            int v = video.frame(start);
            assertThat(forwarded(v)).isFalse();
            if (v == E2eeGuard.REFUSE_HELD) held++;
            assertThat(forwarded(video.packet(video.seq++, video.ts, p.vp8More(), false))).isFalse();
        }
        assertThat(held).as("the hold is reported once").isEqualTo(1);
        assertThat(guard.state()).isEqualTo(E2eeState.HELD);
        assertThat(guard.framesRefused()).isEqualTo(200);
        assertThat(guard.packetsRefused()).isEqualTo(400);
        // Encrypted frames change nothing until the endpoint renegotiates; then it learns again.
        long ctr = FIRST;
        for (int i = 0; i < 20; i++) assertThat(forwarded(video.frame(p.vp8Start(0, ctr++)))).isFalse();
        guard.renegotiated();
        assertThat(guard.state()).isEqualTo(E2eeState.LEARNING);
        for (int i = 0; i < E2eeGuard.LEARNING_FRAMES; i++) video.frame(p.vp8Start(0, ctr++));
        assertThat(guard.state()).isEqualTo(E2eeState.FORWARDING);
        assertThat(guard.holds()).isEqualTo(1);
    }

    @Test
    void libvpxKeyFramesThatLookLikeAHeaderNeverPass() {
        // At offset 10 libvpx writes 39 XX 00: KID 3, a 2-byte counter XX00 (issue 12).
        Stream video = new Stream(CodecFamily.VP8);
        for (int xx = 1; xx < 120; xx++) {
            byte[] start = SFramePackets.concat(HexFormat.of().parseHex("9080e692" + "709b009d012a4001f000"),
                    new byte[] {0x39, (byte) xx, 0x00}, p.bytes(100));
            assertThat(forwarded(video.frame(start))).isFalse();
        }
        assertThat(guard.state()).isEqualTo(E2eeState.HELD);
    }

    @Test
    void paddingIsDroppedWithoutCountingAsARefusedFrame() {
        Stream audio = new Stream(CodecFamily.OPUS);
        long ctr = FIRST;
        for (int i = 0; i < 10; i++) audio.frame(p.opus(0, ctr++));
        long refused = guard.framesRefused();
        assertThat(audio.packet(audio.seq++, audio.ts, new byte[0], false)).isEqualTo(E2eeGuard.DROP_PADDING);
        assertThat(guard.framesRefused()).isEqualTo(refused);
        assertThat(guard.state()).isEqualTo(E2eeState.FORWARDING);
    }

    @Test
    void aSecondSliceStartInOneFrameIsPlaintext() {
        Stream video = new Stream(CodecFamily.H264);
        long ctr = FIRST;
        for (int i = 0; i < 10; i++) video.frame(p.h264Single(0, ctr++));
        assertThat(video.frame(p.h264Single(0, ctr++))).isEqualTo(E2eeGuard.FORWARD);
        // Another slice NAL of the same picture (same timestamp, next packet) is a second start.
        assertThat(video.packet(video.seq++, video.ts, p.h264Single(0, ctr++), false)).isEqualTo(E2eeGuard.REFUSE);
    }

    @Test
    void afterTheSwitchNoPacketOfAFrameFromBeforeItIsForwarded() {
        // Plaintext VP8 frames were flowing; the conference then requires E2EE mid-frame.
        Stream video = new Stream(CodecFamily.VP8);
        long plainTs = video.ts;
        video.frames.untrusted(plainTs); // what the enforcement does at the switch for a live stream
        assertThat(video.packet(video.seq++, plainTs, p.vp8More(), false)).as("the rest of the frame")
                .isEqualTo(E2eeGuard.REFUSE);
        long ctr = FIRST;
        for (int i = 0; i < E2eeGuard.LEARNING_FRAMES; i++) video.frame(p.vp8Start(0, ctr++));
        assertThat(guard.state()).isEqualTo(E2eeState.FORWARDING);
        // A late part (or repair) of a plaintext frame from before the switch: still refused.
        assertThat(video.packet(90, plainTs, p.vp8More(), true)).isEqualTo(E2eeGuard.REFUSE);
        assertThat(video.packet(91, plainTs - 3000, p.vp8More(), false)).isEqualTo(E2eeGuard.REFUSE);
        // A newer frame whose start is late goes on.
        assertThat(video.packet(video.seq + 5, video.ts + 3000, p.vp8More(), false)).isEqualTo(E2eeGuard.FORWARD);
    }

    @Test
    void aFrameWhoseStartIsRefusedIsRefusedWhole() {
        Stream video = new Stream(CodecFamily.VP8);
        long ctr = FIRST;
        for (int i = 0; i < 10; i++) video.frame(p.vp8Start(0, ctr++));
        byte[] plain = p.bytes(100);
        plain[0] = 0x10;
        assertThat(video.frame(plain)).isEqualTo(E2eeGuard.REFUSE);
        long before = guard.framesRefused();
        assertThat(video.packet(video.seq++, video.ts, p.vp8More(), false)).isEqualTo(E2eeGuard.REFUSE);
        assertThat(video.packet(video.seq++, video.ts, p.vp8More(), true)).isEqualTo(E2eeGuard.REFUSE);
        assertThat(guard.framesRefused()).as("frames, not packets").isEqualTo(before);
        assertThat(guard.framesRefusedWhileForwarding()).isEqualTo(1);
        assertThat(video.frame(p.vp8KeyStart(0, ctr++))).isEqualTo(E2eeGuard.FORWARD);
    }

    @FuzzTest(maxDuration = "10s")
    void neverThrowsOrReadsOutside(byte[] data) {
        if (data.length < 2) return;
        CodecFamily codec = CodecFamily.values()[(data[0] & 0xFF) % 4];
        byte[] padded = new byte[data.length + 8];
        System.arraycopy(data, 1, padded, 4, data.length - 1);
        StreamFrames frames = new StreamFrames();
        E2eeGuard g = new E2eeGuard();
        for (int i = 0; i < 3; i++) {
            g.check(frames, codec, i, data[0] & 3, padded, 4, data.length - 1, (data[0] & 4) != 0, i * 1_000_000L);
        }
    }
}
