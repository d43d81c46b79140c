package org.conclave.tests.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.conclave.tests.harness.PeerStats;

/** The SFU's data-channel messages a peer run with --datachannel reported (besides pongs). */
public final class DataChannelSeen {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataChannelSeen() {}

    public static List<JsonNode> messages(PeerStats peer, String type) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode dc = peer.datachannel();
        if (dc == null) return out;
        for (JsonNode channel : dc.path("channels")) {
            for (JsonNode text : channel.path("other")) {
                try {
                    JsonNode m = JSON.readTree(text.asText());
                    if (type.equals(m.path("type").asText())) out.add(m);
                } catch (java.io.IOException e) {
                    // cut or not JSON: not one of the messages looked for
                }
            }
        }
        return out;
    }

    /** Whether a roster message showed {@code endpointId} (any participant when null) with media_refused true. */
    public static boolean rosterShowsRefused(PeerStats peer, String endpointId) {
        for (JsonNode m : messages(peer, "org.conclave.roster")) {
            JsonNode c = m.path("content");
            for (JsonNode e : c.path("snapshot").asBoolean() ? c.path("entries") : c.path("changed")) {
                boolean who = endpointId == null || endpointId.equals(e.path("id").asText());
                if (who && e.path("media_refused").asBoolean()) return true;
            }
        }
        return false;
    }
}
