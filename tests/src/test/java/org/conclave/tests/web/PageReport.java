package org.conclave.tests.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a Conclave Web page reports about its call ({@link #SCRIPT} runs in the page). */
record PageReport(JsonObject json) {
    /** Reads window.conclave: the call's state, getStats, the feeds, the worker's counters and the keyring. */
    static final String SCRIPT = """
            async () => {
              const app = window.conclave;
              const c = app.conference;
              if (!c) return { state: 'none', lastKeyring: app.lastKeyring };
              const inbound = [], outbound = [];
              if (c.call?.peerConn) {
                (await c.call.peerConn.getStats()).forEach((s) => {
                  if (s.type === 'inbound-rtp') inbound.push({ kind: s.kind, trackId: s.trackIdentifier,
                    framesDecoded: s.framesDecoded ?? 0, packetsReceived: s.packetsReceived ?? 0,
                    audioEnergy: s.totalAudioEnergy ?? 0, samples: s.totalSamplesReceived ?? 0,
                    frameWidth: s.frameWidth ?? 0 });
                  if (s.type === 'outbound-rtp') outbound.push({ kind: s.kind, ssrc: s.ssrc, rid: s.rid ?? null,
                    packetsSent: s.packetsSent ?? 0, frameWidth: s.frameWidth ?? 0,
                    qualityLimitation: s.qualityLimitationReason ?? null });
                });
              }
              return {
                state: c.state, checkCode: c.checkCode, endpointId: c.control?.me?.endpoint_id ?? null,
                role: c.control?.me?.role ?? null, userId: c.client.getUserId(), deviceId: c.client.getDeviceId(),
                inbound, outbound,
                feeds: c.remoteFeeds().map((f) => ({ userId: f.userId, purpose: f.purpose, streamId: f.feed.stream.id,
                  tracks: f.feed.stream.getTracks().map((t) => ({ id: t.id, kind: t.kind })) })),
                e2ee: c.e2eeStats ?? null, keyring: c.keys?.keyring() ?? null, rotations: c.keys?.rotations ?? [],
                missingKeys: c.keys?.missingKeys() ?? [], sendLog: c.keys?.sendLog ?? [],
                receiveLog: c.keys?.receiveLog ?? [], roster: [...(c.control?.roster.values() ?? [])],
                control: c.control ? { open: c.control.open, waiting: c.control.waiting, ...c.control.counts,
                  layers: Object.fromEntries(c.control.layers) } : null,
                peer: c.call?.peerConn ? { signaling: c.call.peerConn.signalingState,
                  ice: c.call.peerConn.iceConnectionState, callState: c.call.state,
                  transceivers: c.call.peerConn.getTransceivers().length } : null,
              };
            }""";

    String state() {
        return json.getString("state");
    }

    String checkCode() {
        return json.getString("checkCode");
    }

    String endpointId() {
        return json.getString("endpointId");
    }

    String userId() {
        return json.getString("userId");
    }

    /**
     * What a failure message leads with (the whole report is long and gets cut in CI's excerpt): who this is, what it
     * decodes from whom, whose keys it lacks, and what each key message sent and received came to.
     */
    String summary() {
        StringBuilder out = new StringBuilder(userId() + " (" + state() + ", code " + checkCode() + "): decoded");
        decodedFrom().forEach((user, v) -> out.append(' ').append(user).append("=[").append(v[0]).append(" frames, ")
                .append(v[1]).append(" energy]"));
        out.append("; missing keys ").append(json.getValue("missingKeys"));
        JsonObject e2ee = json.getJsonObject("e2ee");
        if (e2ee != null) out.append("; dropped ").append(e2ee.getValue("dropped"));
        out.append("; received ").append(json.getValue("receiveLog"));
        out.append("; sent");
        for (Object o : json.getJsonArray("sendLog", new JsonArray())) {
            JsonObject s = (JsonObject) o;
            out.append(" [at ").append(s.getValue("at")).append(" key ").append(s.getValue("index")).append(" to ")
                    .append(s.getValue("to")).append(" sent ").append(s.getValue("sent")).append(' ')
                    .append(s.getValue("ms")).append(" ms]");
        }
        return out.toString();
    }

    /** Per remote user: {video frames decoded, audio energy received} over that user's usermedia feed. */
    Map<String, long[]> decodedFrom() {
        Map<String, String> kindOfTrack = new HashMap<>();
        Map<String, String> userOfTrack = new HashMap<>();
        for (Object f : json.getJsonArray("feeds", new JsonArray())) {
            JsonObject feed = (JsonObject) f;
            if (!"m.usermedia".equals(feed.getString("purpose"))) continue;
            for (Object t : feed.getJsonArray("tracks")) {
                userOfTrack.put(((JsonObject) t).getString("id"), feed.getString("userId"));
                kindOfTrack.put(((JsonObject) t).getString("id"), ((JsonObject) t).getString("kind"));
            }
        }
        Map<String, long[]> out = new HashMap<>();
        for (Object i : json.getJsonArray("inbound", new JsonArray())) {
            JsonObject in = (JsonObject) i;
            String user = userOfTrack.get(in.getString("trackId"));
            if (user == null) continue;
            long[] v = out.computeIfAbsent(user, u -> new long[2]);
            if ("video".equals(in.getString("kind"))) v[0] += in.getLong("framesDecoded");
            else v[1] += Math.round(in.getDouble("audioEnergy") * 1_000_000);
        }
        return out;
    }

    /**
     * Video frames this page decoded of a remote user's feeds other than the camera (the feed with its audio): a
     * screen share, whatever purpose the page took it for.
     */
    long secondStreamFramesFrom(String userId) {
        java.util.Set<String> tracks = new java.util.HashSet<>();
        for (Object f : json.getJsonArray("feeds", new JsonArray())) {
            JsonObject feed = (JsonObject) f;
            JsonArray own = feed.getJsonArray("tracks");
            boolean camera = own.stream().anyMatch(t -> "audio".equals(((JsonObject) t).getString("kind")));
            if (camera || !userId.equals(feed.getString("userId"))) continue;
            for (Object t : own) tracks.add(((JsonObject) t).getString("id"));
        }
        long frames = 0;
        for (Object i : json.getJsonArray("inbound", new JsonArray())) {
            JsonObject in = (JsonObject) i;
            if ("video".equals(in.getString("kind")) && tracks.contains(in.getString("trackId"))) {
                frames += in.getLong("framesDecoded");
            }
        }
        return frames;
    }

    /**
     * What this page receives of a remote user's camera (usermedia) feed, one kind: {packets received, frames decoded,
     * frame width}; zeros when nothing is received.
     */
    long[] received(String userId, String kind) {
        java.util.Set<String> tracks = new java.util.HashSet<>();
        for (Object f : json.getJsonArray("feeds", new JsonArray())) {
            JsonObject feed = (JsonObject) f;
            if (!"m.usermedia".equals(feed.getString("purpose")) || !userId.equals(feed.getString("userId"))) continue;
            for (Object t : feed.getJsonArray("tracks")) tracks.add(((JsonObject) t).getString("id"));
        }
        long[] out = new long[3];
        for (Object i : json.getJsonArray("inbound", new JsonArray())) {
            JsonObject in = (JsonObject) i;
            if (!kind.equals(in.getString("kind")) || !tracks.contains(in.getString("trackId"))) continue;
            out[0] += in.getLong("packetsReceived");
            out[1] += in.getLong("framesDecoded");
            out[2] = Math.max(out[2], in.getLong("frameWidth"));
        }
        return out;
    }

    /**
     * The layer ("thumbnail" or "full_res") the SFU last told this page (org.conclave.layer_changed) it gets of the
     * user's camera video, or null (Chromium names a received track by the sender's msid track id, as the SFU does).
     */
    String layerOf(String userId) {
        JsonObject layers = json.getJsonObject("control", new JsonObject()).getJsonObject("layers", new JsonObject());
        for (Object f : json.getJsonArray("feeds", new JsonArray())) {
            JsonObject feed = (JsonObject) f;
            if (!"m.usermedia".equals(feed.getString("purpose")) || !userId.equals(feed.getString("userId"))) continue;
            for (Object t : feed.getJsonArray("tracks")) {
                JsonObject track = (JsonObject) t;
                if ("video".equals(track.getString("kind")) && layers.containsKey(track.getString("id"))) {
                    return layers.getString(track.getString("id"));
                }
            }
        }
        return null;
    }

    /** The frame width this page's camera sends in the simulcast layer {@code rid}, 0 when not sending it. */
    long sentWidth(String rid) {
        for (Object o : json.getJsonArray("outbound", new JsonArray())) {
            JsonObject out = (JsonObject) o;
            if ("video".equals(out.getString("kind")) && rid.equals(out.getString("rid"))) return out.getLong("frameWidth");
        }
        return 0;
    }

    /** This page's roster entry of a user (its first device), or null. */
    JsonObject rosterEntry(String userId) {
        for (Object e : json.getJsonArray("roster", new JsonArray())) {
            JsonObject entry = (JsonObject) e;
            if (entry.getString("participant").startsWith(userId + "/")) return entry;
        }
        return null;
    }

    /** The SSRCs this page sends of a kind. */
    List<Long> outboundSsrcs(String kind) {
        List<Long> out = new ArrayList<>();
        for (Object o : json.getJsonArray("outbound", new JsonArray())) {
            JsonObject s = (JsonObject) o;
            if (kind.equals(s.getString("kind"))) out.add(s.getLong("ssrc"));
        }
        return out;
    }

    /** Own plaintext samples (hex) taken before encryption (?diagnostics=1). */
    List<String> samples() {
        List<String> out = new ArrayList<>();
        JsonObject e2ee = json.getJsonObject("e2ee");
        if (e2ee == null) return out;
        for (Object s : e2ee.getJsonArray("samples", new JsonArray())) out.add(((JsonObject) s).getString("hex"));
        return out;
    }

    /** Every media key the page holds, base64 (own and remote), from the live keyring or the one kept at leave. */
    static List<String> keysOf(JsonObject keyring) {
        List<String> out = new ArrayList<>();
        if (keyring == null) return out;
        out.add(keyring.getJsonObject("own").getString("key"));
        for (Object r : keyring.getJsonArray("remote")) {
            for (Object k : ((JsonObject) r).getJsonArray("keys")) out.add(((JsonObject) k).getString("key"));
        }
        return out;
    }

    /** Remote keys the page holds: user id -> (index -> key bytes). */
    static Map<String, Map<Long, byte[]>> remoteKeys(JsonObject keyring) {
        Map<String, Map<Long, byte[]>> out = new HashMap<>();
        for (Object r : keyring.getJsonArray("remote")) {
            JsonObject m = (JsonObject) r;
            Map<Long, byte[]> keys = out.computeIfAbsent(m.getString("userId"), u -> new HashMap<>());
            for (Object k : m.getJsonArray("keys")) {
                JsonObject key = (JsonObject) k;
                keys.put(key.getLong("index"), Base64.getDecoder().decode(key.getString("key")));
            }
        }
        return out;
    }
}
