package org.conclave.tests.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conclave.tests.harness.PeerStats;

/** The "e2ee" part of a page's report (tests/js/web/e2ee.js results()). */
record E2eeReport(JsonNode node) {
    static E2eeReport of(PeerStats peer) {
        if (peer.e2ee() == null || peer.e2ee().isNull()) {
            throw new IllegalArgumentException(peer.participant() + " reported no e2ee part");
        }
        return new E2eeReport(peer.e2ee());
    }

    String mode() {
        return node.path("mode").asText();
    }

    List<String> streamIds() {
        List<String> ids = new ArrayList<>();
        node.path("streamIds").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** The index of the key the page encrypted with at the end, or -1. */
    int sendKeyIndex() {
        return node.path("sendKeyIndex").isInt() ? node.path("sendKeyIndex").asInt() : -1;
    }

    /** "sender|device_id" -> key indices received from it. */
    Map<String, List<Integer>> keysReceived() {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        node.path("keysReceived").fields().forEachRemaining(e -> {
            List<Integer> indices = new ArrayList<>();
            e.getValue().forEach(n -> indices.add(n.asInt()));
            out.put(e.getKey(), indices);
        });
        return out;
    }

    /** The hex samples of plaintext frames (video and audio) the page took before encrypting. */
    List<String> samples(String kind) {
        List<String> out = new ArrayList<>();
        node.path("worker").path("samples").forEach(s -> {
            if (kind == null || kind.equals(s.path("kind").asText())) out.add(s.path("hex").asText());
        });
        return out;
    }

    /** The mime type of what the page sent of that kind, as the encoded frames' metadata said. */
    String codec(String kind) {
        return node.path("worker").path("codecs").path(kind).asText(null);
    }

    long encrypted() {
        return node.path("worker").path("encrypted").asLong();
    }

    long decrypted() {
        return node.path("worker").path("decrypted").asLong();
    }

    /** Frames the transform refused, by reason (UNKNOWN_KEY, AUTH_FAILURE, NO_SEND_KEY, ...). */
    Map<String, Long> dropped() {
        Map<String, Long> out = new LinkedHashMap<>();
        node.path("worker").path("dropped").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    long dropped(String reason) {
        return dropped().getOrDefault(reason, 0L);
    }

    /** Frames of a remote stream and kind that decrypted with that KID. */
    long decryptedWith(String streamId, String kind, int kid) {
        return node.path("worker").path("decryptedByKid").path(streamId + "/" + kind + "/" + kid).asLong();
    }

    List<JsonNode> rotations() {
        List<JsonNode> out = new ArrayList<>();
        node.path("rotations").forEach(out::add);
        return out;
    }
}
