package org.conclave.tests.e2ee;

import org.conclave.sfu.codec.CodecFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.conclave.keyexchange.frame.FrameCodec;
import org.conclave.keyexchange.frame.FrameEncryptor;
import org.conclave.keyexchange.sframe.CipherSuite;
import org.conclave.keyexchange.sframe.SFrameSender;
import org.conclave.sfu.e2ee.E2eeGuard;
import org.conclave.sfu.e2ee.E2eeState;
import org.conclave.sfu.e2ee.FrameLayout;
import org.conclave.sfu.e2ee.StreamFrames;
import org.conclave.tests.e2ee.MediaCorpus.Clip;
import org.conclave.tests.e2ee.MediaCorpus.Frame;

/**
 * Replays senders' RTP payloads through the SFU's end-to-end-encryption check exactly as the packet thread calls it
 * ({@link E2eeGuard#check} per RTP packet with its stream's frames, sequence number, timestamp, payload and whether
 * it was restored from RTX). A sender is a group of clips that run at the same time (video with audio, three
 * simulcast layers with audio, audio or video alone), merged by media time into one arrival order.
 */
final class GuardReplay {
    /** In the windowed plaintext replay every frame is checked: a fresh guard every this many frames. */
    static final int WINDOW_FRAMES = 24;

    /** Counters of one kind of content. */
    static final class Tally {
        long frames;
        long packets;
        long forwardedFrames;
        long forwardedPackets;
        long windowedForwardedFrames;
        long checkedStarts;
        long passes;
        int longestRun;
        long senders;
        long held;
        long packetizerMismatches;

        void add(Tally t) {
            frames += t.frames;
            packets += t.packets;
            forwardedFrames += t.forwardedFrames;
            forwardedPackets += t.forwardedPackets;
            windowedForwardedFrames += t.windowedForwardedFrames;
            checkedStarts += t.checkedStarts;
            passes += t.passes;
            longestRun = Math.max(longestRun, t.longestRun);
            senders += t.senders;
            held += t.held;
            packetizerMismatches += t.packetizerMismatches;
        }
    }

    /** Counters of the encrypted replay. */
    static final class Encrypted {
        long senders;
        long frames;
        long packetsDelivered;
        long lost;
        long repaired;
        long duplicated;
        long rotations;
        long forwardedFrames;
        long probationFrames;
        long refusedAfterProbation;
        long refusedPacketsAfterProbation;
        long held;
        final Map<String, Long> framesBySuite = new TreeMap<>();
    }

    /** One RTP packet as it reaches the SFU. */
    private record Delivery(int stream, int frame, int seq, long timestamp, byte[] payload, long atNanos,
            boolean retransmission) {}

    final Map<String, Tally> plaintext = new TreeMap<>();
    final Encrypted encrypted = new Encrypted();
    /** The first frames our packetizer splits unlike aiortc's, described. */
    final List<String> mismatches = new ArrayList<>();
    private final Random random;

    GuardReplay(long seed) {
        this.random = new Random(seed);
    }

    static CodecFamily layout(int codec) {
        return switch (codec) {
            case MediaCorpus.VP8 -> CodecFamily.VP8;
            case MediaCorpus.H264 -> CodecFamily.H264;
            default -> CodecFamily.OPUS;
        };
    }

    private static long mediaNanos(int codec, long timestamp) {
        return codec == MediaCorpus.OPUS ? timestamp * 1_000_000_000L / 48_000 : timestamp * 1_000_000_000L / 90_000;
    }

    /** What a frame is, for the report: codec, content, and for VP8 key or delta. */
    static String kind(Clip c, Frame f) {
        String[] words = c.description().split(" ");
        String kind = words[0] + " " + words[1];
        if (c.codec() == MediaCorpus.VP8 && c.group() >= 0) kind += f.key() ? " key" : " delta";
        return kind;
    }

    // ---------------------------------------------------------------- plaintext

    /** A sender that does not encrypt: its frames as its encoders and aiortc's packetizers made them. */
    void plaintext(List<Clip> sender) {
        List<int[]> order = order(sender);
        List<Delivery> deliveries = new ArrayList<>();
        int[] seqs = new int[sender.size()];
        for (int s = 0; s < seqs.length; s++) seqs[s] = random.nextInt(65536);
        long[] tsOffset = new long[sender.size()];
        for (int s = 0; s < tsOffset.length; s++) tsOffset[s] = random.nextInt() & 0xFFFFFFFFL;
        for (int[] sf : order) {
            Clip c = sender.get(sf[0]);
            Frame f = c.frames().get(sf[1]);
            Tally t = plaintext.computeIfAbsent(kind(c, f), k -> new Tally());
            t.frames++;
            t.packets += f.packets().size();
            List<byte[]> ours = c.codec() == MediaCorpus.VP8
                    ? Packetizer.vp8(f.data(), Packetizer.vp8PictureId(f.packets().get(0)))
                    : c.codec() == MediaCorpus.H264 ? Packetizer.h264(f.data()) : f.packets();
            if (!same(ours, f.packets())) {
                t.packetizerMismatches++;
                if (mismatches.size() < 5) {
                    mismatches.add(c.description() + " frame " + sf[1] + " (" + f.data().length + " bytes): aiortc "
                            + f.packets().stream().map(x -> x.length + ":" + java.util.HexFormat.of().formatHex(x, 0,
                                    Math.min(6, x.length))).toList() + ", ours " + ours.stream().map(x -> x.length
                                    + ":" + java.util.HexFormat.of().formatHex(x, 0, Math.min(6, x.length))).toList());
                }
            }
            long at = mediaNanos(c.codec(), f.timestamp());
            for (byte[] p : f.packets()) {
                deliveries.add(new Delivery(sf[0], sf[1], seqs[sf[0]]++ & 0xFFFF,
                        (f.timestamp() + tsOffset[sf[0]]) & 0xFFFFFFFFL, p, at, false));
                at += 100_000;
            }
        }
        replayPlaintext(sender, deliveries);
    }

    /** Arrival order of a sender's frames: {clip, frame} by media time. */
    private static List<int[]> order(List<Clip> sender) {
        List<int[]> order = new ArrayList<>();
        for (int s = 0; s < sender.size(); s++) {
            for (int i = 0; i < sender.get(s).frames().size(); i++) order.add(new int[] {s, i});
        }
        order.sort(Comparator.comparingLong((int[] sf) -> {
            Clip c = sender.get(sf[0]);
            return mediaNanos(c.codec(), c.frames().get(sf[1]).timestamp());
        }));
        return order;
    }

    private void replayPlaintext(List<Clip> sender, List<Delivery> deliveries) {
        // Continuous: one guard, as the packet thread keeps it for the whole call.
        E2eeGuard guard = new E2eeGuard();
        StreamFrames[] frames = newFrames(sender.size());
        boolean[][] forwarded = new boolean[sender.size()][];
        for (int s = 0; s < sender.size(); s++) forwarded[s] = new boolean[sender.get(s).frames().size()];
        for (Delivery d : deliveries) {
            int v = guard.check(frames[d.stream], layout(sender.get(d.stream).codec()), d.seq, d.timestamp,
                    d.payload, 0, d.payload.length, d.retransmission, d.atNanos);
            if (v == E2eeGuard.FORWARD || v == E2eeGuard.FORWARD_TRUSTED) {
                Clip c = sender.get(d.stream);
                Tally t = plaintext.get(kind(c, c.frames().get(d.frame)));
                t.forwardedPackets++;
                if (!forwarded[d.stream][d.frame]) t.forwardedFrames++;
                forwarded[d.stream][d.frame] = true;
            }
        }
        Tally first = plaintext.get(kind(sender.get(0), sender.get(0).frames().get(0)));
        first.senders++;
        if (guard.state() == E2eeState.HELD) first.held++;
        // Windowed: a fresh guard every WINDOW_FRAMES frames, so every frame is checked, none after a hold.
        guard = new E2eeGuard();
        frames = newFrames(sender.size());
        int starts = 0;
        int lastStream = -1;
        int lastFrame = -1;
        for (Delivery d : deliveries) {
            if (d.stream != lastStream || d.frame != lastFrame) {
                if (++starts % WINDOW_FRAMES == 0) {
                    account(guard, first);
                    guard = new E2eeGuard();
                    frames = newFrames(sender.size());
                }
                lastStream = d.stream;
                lastFrame = d.frame;
            }
            int v = guard.check(frames[d.stream], layout(sender.get(d.stream).codec()), d.seq, d.timestamp,
                    d.payload, 0, d.payload.length, d.retransmission, d.atNanos);
            if (v == E2eeGuard.FORWARD || v == E2eeGuard.FORWARD_TRUSTED) {
                Clip c = sender.get(d.stream);
                plaintext.get(kind(c, c.frames().get(d.frame))).windowedForwardedFrames++;
            }
        }
        account(guard, first);
    }

    private static void account(E2eeGuard g, Tally t) {
        t.passes += g.learningPasses();
        t.checkedStarts += g.framesRefused() + g.framesForwarded();
        t.longestRun = Math.max(t.longestRun, g.longestRun());
    }

    private static StreamFrames[] newFrames(int n) {
        StreamFrames[] f = new StreamFrames[n];
        for (int i = 0; i < n; i++) f[i] = new StreamFrames();
        return f;
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) return false;
        }
        return true;
    }

    /** Senders of uniformly random frames, packetized as the real ones; {@code frames} in all. */
    void random(long frames) {
        long made = 0;
        int g = 0;
        while (made < frames) {
            int composition = g++ % 3;
            List<Clip> sender = new ArrayList<>();
            int n = 40 + random.nextInt(120);
            if (composition != 2) sender.add(randomClip(composition == 0 ? MediaCorpus.VP8 : MediaCorpus.H264, n));
            sender.add(randomClip(MediaCorpus.OPUS, n * 3 / 2));
            for (Clip c : sender) made += c.frames().size();
            plaintext(sender);
        }
    }

    private Clip randomClip(int codec, int n) {
        List<Frame> frames = new ArrayList<>();
        int pictureId = random.nextInt(1 << 15);
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[codec == MediaCorpus.OPUS ? 20 + random.nextInt(300) : 30 + random.nextInt(4000)];
            random.nextBytes(data);
            List<byte[]> packets;
            long ts;
            if (codec == MediaCorpus.VP8) {
                packets = Packetizer.vp8(data, pictureId++ & 0x7FFF);
                ts = i * 3000L;
            } else if (codec == MediaCorpus.H264) {
                data[0] = 0;
                data[1] = 0;
                data[2] = 1;
                data[3] = (byte) (random.nextBoolean() ? 0x65 : 0x41);
                packets = Packetizer.h264(data);
                ts = i * 3000L;
            } else {
                packets = List.of(data);
                ts = i * 960L;
            }
            if (packets.isEmpty()) continue;
            frames.add(new Frame(false, ts, data, packets));
        }
        return new Clip(codec, -1, (codec == MediaCorpus.VP8 ? "random-vp8" : codec == MediaCorpus.H264
                ? "random-h264" : "random-opus") + " payload", frames);
    }

    // ---------------------------------------------------------------- encrypted

    /**
     * The same sender encrypting: one SFrame sender (one counter) for all its streams, a suite per sender, keys
     * rotated now and then (sometimes skipping an index); its top simulcast layer paused for a while, a stream
     * restarted (new SSRC), a renegotiation; on the way 3 % of packets lost (video repaired by RTX after 40-200 ms,
     * audio not), 0.5 % duplicated, and arrival reordered by pacing jitter.
     */
    void encrypted(List<Clip> sender, int group) {
        CipherSuite suite = CipherSuite.values()[Math.floorMod(group, CipherSuite.values().length)];
        SFrameSender sframe = new SFrameSender(suite);
        int kid = random.nextInt(256);
        byte[] key = new byte[32];
        random.nextBytes(key);
        sframe.useKey(kid, key);
        FrameEncryptor encryptor = new FrameEncryptor(sframe);
        List<int[]> order = order(sender);
        int simulcastTop = sender.size() >= 3 && sender.get(2).codec() == MediaCorpus.VP8 ? 2 : -1;
        int restartStream = sender.get(0).codec() != MediaCorpus.OPUS ? 0 : -1;
        int nextRotation = 50 + random.nextInt(250);
        int[] seqs = new int[sender.size() + 1];
        for (int s = 0; s < seqs.length; s++) seqs[s] = random.nextInt(65536);
        List<Delivery> deliveries = new ArrayList<>();
        int encoded = 0;
        for (int k = 0; k < order.size(); k++) {
            int[] sf = order.get(k);
            Clip c = sender.get(sf[0]);
            Frame f = c.frames().get(sf[1]);
            double progress = (double) k / order.size();
            if (sf[0] == simulcastTop && progress > 0.3 && progress < 0.5) continue; // layer paused: not encoded
            if (--nextRotation <= 0) {
                kid = (kid + 1 + (random.nextInt(4) == 0 ? 1 : 0)) & 0xFF;
                random.nextBytes(key);
                sframe.useKey(kid, key);
                encrypted.rotations++;
                nextRotation = 50 + random.nextInt(250);
            }
            FrameCodec fc = c.codec() == MediaCorpus.VP8 ? FrameCodec.VP8
                    : c.codec() == MediaCorpus.H264 ? FrameCodec.H264 : FrameCodec.OPUS;
            byte[] e = encryptor.encrypt(fc, f.data());
            List<byte[]> packets = c.codec() == MediaCorpus.VP8
                    ? Packetizer.vp8(e, Packetizer.vp8PictureId(f.packets().get(0)))
                    : c.codec() == MediaCorpus.H264 ? Packetizer.h264(e) : List.of(e);
            encoded++;
            encrypted.framesBySuite.merge(suite.name(), 1L, Long::sum);
            // A sender restart: from 60 % on, the first video stream comes on a new SSRC (stream index size()).
            int stream = sf[0] == restartStream && progress >= 0.6 ? sender.size() : sf[0];
            long at = mediaNanos(c.codec(), f.timestamp()) + 20_000_000L;
            boolean video = c.codec() != MediaCorpus.OPUS;
            for (byte[] p : packets) {
                int seq = seqs[stream]++ & 0xFFFF;
                long arrival = at + (video ? random.nextInt(30_000_000) : random.nextInt(3_000_000));
                at += video ? 200_000 : 0;
                if (random.nextInt(100) < 3) {
                    encrypted.lost++;
                    if (video && random.nextInt(100) < 85) {
                        encrypted.repaired++;
                        deliveries.add(new Delivery(stream, k, seq, f.timestamp(), p,
                                arrival + 40_000_000L + random.nextInt(160_000_000), true));
                    }
                    continue;
                }
                deliveries.add(new Delivery(stream, k, seq, f.timestamp(), p, arrival, false));
                if (random.nextInt(200) == 0) {
                    encrypted.duplicated++;
                    deliveries.add(new Delivery(stream, k, seq, f.timestamp(), p,
                            arrival + random.nextInt(10_000_000), false));
                }
            }
        }
        deliveries.sort(Comparator.comparingLong(Delivery::atNanos));
        E2eeGuard guard = new E2eeGuard();
        StreamFrames[] frames = newFrames(sender.size() + 1);
        java.util.Set<Integer> refusedAfter = new java.util.HashSet<>();
        java.util.Set<Integer> duringProbation = new java.util.HashSet<>();
        java.util.Set<Integer> forwarded = new java.util.HashSet<>();
        boolean renegotiated = false;
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            if (!renegotiated && i > deliveries.size() * 7 / 10) {
                guard.renegotiated(); // changes nothing for an endpoint that encrypts
                renegotiated = true;
            }
            int codec = sender.get(d.stream == sender.size() ? restartStream : d.stream).codec();
            boolean trusted = guard.state() == E2eeState.FORWARDING;
            int v = guard.check(frames[d.stream], layout(codec), d.seq, d.timestamp, d.payload, 0, d.payload.length,
                    d.retransmission, d.atNanos);
            encrypted.packetsDelivered++;
            if (v == E2eeGuard.FORWARD || v == E2eeGuard.FORWARD_TRUSTED) {
                forwarded.add(d.frame);
            } else if (trusted && !duringProbation.contains(d.frame)) {
                // A frame none of whose packets came during probation: a receiver could decrypt it.
                encrypted.refusedPacketsAfterProbation++;
                refusedAfter.add(d.frame);
            }
            if (!trusted) duringProbation.add(d.frame);
        }
        encrypted.senders++;
        encrypted.frames += encoded;
        encrypted.forwardedFrames += forwarded.size();
        encrypted.probationFrames += duringProbation.size();
        encrypted.refusedAfterProbation += refusedAfter.size();
        if (guard.state() == E2eeState.HELD) encrypted.held++;
    }

    Tally total() {
        Tally all = new Tally();
        plaintext.values().forEach(all::add);
        return all;
    }
}
