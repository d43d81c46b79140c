package org.conclave.tests.e2ee;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.conclave.keyexchange.frame.FrameCodec;
import org.conclave.keyexchange.frame.FrameDecryptor;
import org.conclave.keyexchange.frame.ReadablePrefix;
import org.conclave.keyexchange.sframe.CipherSuite;
import org.conclave.keyexchange.sframe.SFrameException;
import org.conclave.keyexchange.sframe.SFrameHeader;
import org.conclave.keyexchange.sframe.SFrameReceiver;

/** Decrypts tapped frames with the Java SFrame library and a chosen set of keys, and tallies the outcome. */
public final class TapDecryption {
    /** How many frames decrypted, the plaintexts, and why the others did not. */
    public record Outcome(int frames, List<byte[]> plaintexts, Map<SFrameException.Reason, Integer> failures) {
        public int decrypted() {
            return plaintexts.size();
        }

        public int failed(SFrameException.Reason reason) {
            return failures.getOrDefault(reason, 0);
        }

        @Override
        public String toString() {
            return frames + " frames: " + decrypted() + " decrypted, failures " + failures;
        }
    }

    private TapDecryption() {}

    /** Each frame in order through one receiver holding {@code keys} (KID -> base key), as one remote sender's. */
    public static Outcome decrypt(List<TappedFrame> frames, FrameCodec codec, Map<Long, byte[]> keys) {
        SFrameReceiver receiver = new SFrameReceiver(CipherSuite.DEFAULT);
        keys.forEach(receiver::addKey);
        FrameDecryptor decryptor = new FrameDecryptor(receiver);
        List<byte[]> plaintexts = new ArrayList<>();
        Map<SFrameException.Reason, Integer> failures = new EnumMap<>(SFrameException.Reason.class);
        for (TappedFrame f : frames) {
            try {
                plaintexts.add(decryptor.decrypt(codec, f.data()));
            } catch (SFrameException e) {
                failures.merge(e.reason(), 1, Integer::sum);
            }
        }
        return new Outcome(frames.size(), plaintexts, failures);
    }

    /** The KID in the frame's SFrame header (after its readable prefix), or -1 when there is none. */
    public static long kid(TappedFrame f, FrameCodec codec) {
        byte[] d = f.data();
        int prefix = ReadablePrefix.length(codec, d, 0, d.length);
        if (prefix >= d.length) return -1;
        try {
            return SFrameHeader.decode(d, prefix, d.length - prefix).kid();
        } catch (SFrameException.Syntax e) {
            return -1;
        }
    }
}
