package org.conclave.keyexchange.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.conclave.keyexchange.frame.FrameCodec;
import org.conclave.keyexchange.frame.FrameDecryptor;
import org.conclave.keyexchange.frame.FrameEncryptor;
import org.conclave.keyexchange.sframe.CipherSuite;
import org.conclave.keyexchange.sframe.SFrameException;
import org.conclave.keyexchange.sframe.SFrameReceiver;
import org.conclave.keyexchange.sframe.SFrameSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java-encrypted frames decrypt in JavaScript and JavaScript-encrypted frames decrypt in Java, for every suite, both
 * as bare SFrame (with metadata) and in every readable-prefix layout. File format: see js/test/interop.mjs.
 */
class JsInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** KIDs exercising the inline, 1-byte and 5-byte encodings. */
    private static final long[] KIDS = {0, 7, 8, 255, 1L << 35};

    @Test
    void framesDecryptAcrossLanguagesForEverySuite(@TempDir Path dir) throws IOException, SFrameException {
        Node.requireVersion();
        ObjectNode input = JSON.createObjectNode();
        ArrayNode cases = input.putArray("cases");
        List<List<String>> sentPlaintexts = new ArrayList<>();
        for (CipherSuite suite : CipherSuite.values()) {
            for (long kid : KIDS) {
                byte[] baseKey = random(kid == 8 ? 16 : 32);
                SFrameSender sender = new SFrameSender(suite);
                sender.useKey(kid, baseKey);
                ObjectNode c = newCase(cases, suite, null, kid, baseKey);
                List<String> pts = new ArrayList<>();
                for (int len : new int[] {0, 1, 33, 1400}) {
                    byte[] pt = random(len);
                    byte[] metadata = random(len % 5);
                    addFrame(c, metadata, pt, sender.encrypt(pt, metadata));
                    pts.add(HEX.formatHex(pt));
                }
                sentPlaintexts.add(pts);
            }
            for (FrameCodec codec : FrameCodec.values()) {
                byte[] baseKey = random(32);
                SFrameSender sender = new SFrameSender(suite);
                sender.useKey(3, baseKey);
                FrameEncryptor encryptor = new FrameEncryptor(sender);
                ObjectNode c = newCase(cases, suite, codec, 3, baseKey);
                List<String> pts = new ArrayList<>();
                for (byte[] pt : sampleFrames(codec)) {
                    addFrame(c, new byte[0], pt, encryptor.encrypt(codec, pt));
                    pts.add(HEX.formatHex(pt));
                }
                sentPlaintexts.add(pts);
            }
        }
        Path in = dir.resolve("from-java.json");
        Path out = dir.resolve("from-node.json");
        JSON.writeValue(in.toFile(), input);

        Node.Result r = Node.run("test/interop.mjs", in.toString(), out.toString());
        assertThat(r.exitCode()).as("node interop.mjs output:%n%s", r.output()).isZero();

        JsonNode result = JSON.readTree(Files.readString(out));
        List<List<String>> decryptedByNode = new ArrayList<>();
        result.get("decrypted").forEach(c -> {
            List<String> pts = new ArrayList<>();
            c.forEach(p -> pts.add(p.asText()));
            decryptedByNode.add(pts);
        });
        assertThat(decryptedByNode).isEqualTo(sentPlaintexts);

        int nodeFrames = 0;
        List<String> suitesSeen = new ArrayList<>();
        for (JsonNode c : result.get("cases")) {
            CipherSuite suite = CipherSuite.fromId(c.get("suite").asInt());
            SFrameReceiver receiver = new SFrameReceiver(suite);
            receiver.addKey(Long.parseUnsignedLong(c.get("kid").asText()), HEX.parseHex(c.get("baseKey").asText()));
            FrameCodec codec = c.get("codec").isNull() ? null : FrameCodec.valueOf(c.get("codec").asText());
            for (JsonNode f : c.get("frames")) {
                byte[] ct = HEX.parseHex(f.get("ct").asText());
                byte[] pt = codec == null
                        ? receiver.decrypt(ct, HEX.parseHex(f.get("metadata").asText()))
                        : new FrameDecryptor(receiver).decrypt(codec, ct);
                assertThat(HEX.formatHex(pt)).as("%s %s", suite, codec).isEqualTo(f.get("pt").asText());
                nodeFrames++;
            }
            suitesSeen.add(suite + "/" + codec);
        }
        assertThat(suitesSeen).hasSize(CipherSuite.values().length * (1 + FrameCodec.values().length));
        assertThat(nodeFrames).as("interop.mjs writes 4 bare + 9 layout frames per suite").isEqualTo(65);
    }

    private static ObjectNode newCase(ArrayNode cases, CipherSuite suite, FrameCodec codec, long kid, byte[] key) {
        ObjectNode c = cases.addObject();
        c.put("suite", suite.id());
        if (codec == null) {
            c.putNull("codec");
        } else {
            c.put("codec", codec.name());
        }
        c.put("kid", Long.toUnsignedString(kid));
        c.put("baseKey", HEX.formatHex(key));
        c.putArray("frames");
        return c;
    }

    private static void addFrame(ObjectNode c, byte[] metadata, byte[] pt, byte[] ct) {
        ObjectNode f = ((ArrayNode) c.get("frames")).addObject();
        f.put("metadata", HEX.formatHex(metadata));
        f.put("pt", HEX.formatHex(pt));
        f.put("ct", HEX.formatHex(ct));
    }

    private static List<byte[]> sampleFrames(FrameCodec codec) {
        return switch (codec) {
            case VP8 -> List.of(join("5042009d012a8002e001", random(300)), join("310d00", random(40)),
                    join("b10000", new byte[0]));
            case OPUS -> List.of(join("fc", random(80)), join("78", new byte[0]));
            case H264 -> List.of(join("00000001674200000000000168ce3c800000000165888400", random(500)),
                    join("00000001419a", new byte[64]));
            case WHOLE_FRAME -> List.of(random(1), random(900));
        };
    }

    private static byte[] join(String hexHead, byte[] tail) {
        byte[] head = HEX.parseHex(hexHead);
        byte[] out = new byte[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
