package org.conclave.tests.e2ee;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.conclave.tests.harness.TestPaths;

/**
 * Real encoder output from {@code tests/py/media_corpus.py} (libvpx, libx264, libopus through aiortc and PyAV, with
 * aiortc's packetizers), read as it is made: the generator writes to a pipe, and each sender's group of clips is handed
 * on once complete, so a corpus of a million frames never sits on disk or in memory.
 */
final class MediaCorpus {
    static final int VP8 = 0;
    static final int H264 = 1;
    static final int OPUS = 2;
    static final String PYTHON = "/usr/bin/python3";

    record Frame(boolean key, long timestamp, byte[] data, List<byte[]> packets) {}

    record Clip(int codec, int group, String description, List<Frame> frames) {}

    private MediaCorpus() {}

    /** Runs the generator (fixed seed) and hands each sender's clips to {@code group}. */
    static void generate(double scale, int seed, Consumer<List<Clip>> group) throws IOException, InterruptedException {
        Path script = TestPaths.pyDir().resolve("media_corpus.py");
        Process p = new ProcessBuilder(PYTHON, script.toString(), "--out", "-", "--scale", Double.toString(scale),
                "--seed", Integer.toString(seed)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = p.getInputStream()) {
            read(in, group);
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        if (p.exitValue() != 0) throw new IOException(script + " exited with " + p.exitValue());
    }

    static void read(InputStream raw, Consumer<List<Clip>> group) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20));
        List<Clip> current = new ArrayList<>();
        Clip clip = null;
        while (true) {
            int tag;
            try {
                tag = in.readUnsignedByte();
            } catch (EOFException e) {
                break;
            }
            if (tag == 'C') {
                int codec = in.readUnsignedByte();
                int g = in.readInt();
                byte[] d = new byte[in.readUnsignedShort()];
                in.readFully(d);
                if (!current.isEmpty() && current.get(0).group() != g) {
                    group.accept(current);
                    current = new ArrayList<>();
                }
                clip = new Clip(codec, g, new String(d, StandardCharsets.UTF_8), new ArrayList<>());
                current.add(clip);
            } else if (tag == 'F' && clip != null) {
                boolean key = in.readUnsignedByte() != 0;
                long ts = in.readInt() & 0xFFFFFFFFL;
                byte[] data = new byte[in.readInt()];
                in.readFully(data);
                int n = in.readUnsignedShort();
                List<byte[]> packets = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] payload = new byte[in.readUnsignedShort()];
                    in.readFully(payload);
                    packets.add(payload);
                }
                clip.frames().add(new Frame(key, ts, data, packets));
            } else {
                throw new IOException("corrupt corpus: tag " + tag);
            }
        }
        if (!current.isEmpty()) group.accept(current);
    }
}
