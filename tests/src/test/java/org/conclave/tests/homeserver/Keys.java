package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end encryption keys as the homeserver keeps them (it only stores and hands out, never reads them): device
 * keys, one-time and fallback keys per device, cross-signing keys per user, and the log of device-list changes
 * (position, user) that {@code /sync} and {@code /keys/changes} read. Not thread-safe: callers hold the
 * {@link Model}'s lock.
 */
final class Keys {
    private record Fallback(String keyId, Object key, boolean used) {}

    private record Change(long position, String userId) {}

    private final Model model;
    private final Map<String, JsonObject> deviceKeys = new HashMap<>(); // user \0 device -> keys
    private final Map<String, LinkedHashMap<String, Object>> oneTimeKeys = new HashMap<>(); // "alg:id" -> key
    private final Map<String, Map<String, Fallback>> fallbackKeys = new HashMap<>(); // alg -> key
    private final Map<String, Map<String, JsonObject>> crossSigning = new HashMap<>(); // user -> usage -> key
    private final List<Change> changes = new ArrayList<>();

    Keys(Model model) {
        this.model = model;
    }

    private static String id(String userId, String deviceId) {
        return userId + "\u0000" + deviceId;
    }

    /** {@code /keys/upload}; returns the one-time key counts. */
    JsonObject upload(String userId, String deviceId, JsonObject body) {
        if (body.getValue("device_keys") instanceof JsonObject keys) {
            if (!userId.equals(keys.getString("user_id")) || !deviceId.equals(keys.getString("device_id"))) {
                throw new MatrixFailure(400, "M_UNKNOWN", "Provided user_id and device_id do not match those of"
                        + " the access token");
            }
            JsonObject old = deviceKeys.put(id(userId, deviceId), keys.copy());
            if (!keys.equals(old)) changed(userId);
        }
        if (body.getValue("one_time_keys") instanceof JsonObject otks) {
            LinkedHashMap<String, Object> stored = oneTimeKeys.computeIfAbsent(id(userId, deviceId),
                    k -> new LinkedHashMap<>());
            for (String keyId : otks.fieldNames()) {
                Object existing = stored.get(keyId);
                if (existing != null && !existing.equals(otks.getValue(keyId))) {
                    throw new MatrixFailure(400, "M_UNKNOWN", "One time key " + keyId + " already exists.");
                }
            }
            otks.forEach(e -> stored.put(e.getKey(), e.getValue()));
        }
        Object fallbacks = body.getValue("fallback_keys");
        if (fallbacks == null) fallbacks = body.getValue("org.matrix.msc2732.fallback_keys");
        if (fallbacks instanceof JsonObject keys) {
            Map<String, Fallback> stored = fallbackKeys.computeIfAbsent(id(userId, deviceId), k -> new HashMap<>());
            keys.forEach(e -> stored.put(algorithm(e.getKey()), new Fallback(e.getKey(), e.getValue(), false)));
        }
        model.changed();
        return new JsonObject().put("one_time_key_counts", oneTimeKeyCounts(userId, deviceId));
    }

    /** Synapse counts per algorithm and always names {@code signed_curve25519}. */
    JsonObject oneTimeKeyCounts(String userId, String deviceId) {
        JsonObject counts = new JsonObject().put("signed_curve25519", 0);
        oneTimeKeys.getOrDefault(id(userId, deviceId), new LinkedHashMap<>()).keySet()
                .forEach(k -> counts.put(algorithm(k), counts.getInteger(algorithm(k), 0) + 1));
        return counts;
    }

    JsonArray unusedFallbackKeyTypes(String userId, String deviceId) {
        JsonArray types = new JsonArray();
        fallbackKeys.getOrDefault(id(userId, deviceId), Map.of()).forEach((alg, f) -> {
            if (!f.used) types.add(alg);
        });
        return types;
    }

    /** {@code /keys/query}: device keys of the users' devices (those with keys), and cross-signing keys. */
    JsonObject query(String requester, JsonObject request) {
        if (!(request.getValue("device_keys") instanceof JsonObject wanted)) {
            throw Http.badJson("device_keys must be an object");
        }
        JsonObject devices = new JsonObject();
        JsonObject masters = new JsonObject();
        JsonObject selfSigning = new JsonObject();
        JsonObject userSigning = new JsonObject();
        for (String userId : wanted.fieldNames()) {
            List<String> only = Rooms.strings(wanted.getValue(userId), "device_keys." + userId);
            JsonObject own = new JsonObject();
            for (String deviceId : model.users.devices(userId)) {
                JsonObject keys = deviceKeys.get(id(userId, deviceId));
                if (keys == null || !only.isEmpty() && !only.contains(deviceId)) continue;
                JsonObject copy = keys.copy();
                String name = model.users.deviceDisplayName(userId, deviceId);
                if (name != null) copy.put("unsigned", new JsonObject().put("device_display_name", name));
                own.put(deviceId, copy);
            }
            devices.put(userId, own);
            Map<String, JsonObject> cs = crossSigning.getOrDefault(userId, Map.of());
            if (cs.containsKey("master")) masters.put(userId, cs.get("master").copy());
            if (cs.containsKey("self_signing")) selfSigning.put(userId, cs.get("self_signing").copy());
            if (cs.containsKey("user_signing") && userId.equals(requester)) {
                userSigning.put(userId, cs.get("user_signing").copy());
            }
        }
        return new JsonObject().put("device_keys", devices).put("failures", new JsonObject())
                .put("master_keys", masters).put("self_signing_keys", selfSigning)
                .put("user_signing_keys", userSigning);
    }

    /** {@code /keys/claim}: one one-time key per device (removed), else its fallback key (kept, marked used). */
    JsonObject claim(JsonObject request) {
        if (!(request.getValue("one_time_keys") instanceof JsonObject wanted)) {
            throw Http.badJson("one_time_keys must be an object");
        }
        JsonObject result = new JsonObject();
        for (String userId : wanted.fieldNames()) {
            if (!(wanted.getValue(userId) instanceof JsonObject byDevice)) throw Http.badJson("bad one_time_keys");
            JsonObject forUser = new JsonObject();
            for (String deviceId : byDevice.fieldNames()) {
                JsonObject key = claimOne(userId, deviceId, byDevice.getString(deviceId));
                if (key != null) forUser.put(deviceId, key);
            }
            if (!forUser.isEmpty()) result.put(userId, forUser);
        }
        model.changed();
        return new JsonObject().put("one_time_keys", result).put("failures", new JsonObject());
    }

    private JsonObject claimOne(String userId, String deviceId, String algorithm) {
        LinkedHashMap<String, Object> otks = oneTimeKeys.getOrDefault(id(userId, deviceId), new LinkedHashMap<>());
        for (Iterator<Map.Entry<String, Object>> it = otks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Object> e = it.next();
            if (algorithm(e.getKey()).equals(algorithm)) {
                it.remove();
                return new JsonObject().put(e.getKey(), e.getValue());
            }
        }
        Map<String, Fallback> fallbacks = fallbackKeys.getOrDefault(id(userId, deviceId), new HashMap<>());
        Fallback fallback = fallbacks.get(algorithm);
        if (fallback == null) return null;
        fallbacks.put(algorithm, new Fallback(fallback.keyId, fallback.key, true));
        return new JsonObject().put(fallback.keyId, fallback.key);
    }

    boolean hasMasterKey(String userId) {
        return crossSigning.getOrDefault(userId, Map.of()).containsKey("master");
    }

    /** {@code /keys/device_signing/upload} (authentication checked by the caller). */
    void uploadCrossSigning(String userId, JsonObject body) {
        Map<String, JsonObject> own = crossSigning.computeIfAbsent(userId, u -> new HashMap<>());
        for (String usage : List.of("master", "self_signing", "user_signing")) {
            if (body.getValue(usage + "_key") instanceof JsonObject key) {
                if (!userId.equals(key.getString("user_id"))) throw Http.invalidParam("user_id of the key is not yours");
                own.put(usage, key.copy());
            }
        }
        changed(userId);
    }

    /** {@code /keys/signatures/upload}: signatures merged into the signed device or cross-signing keys. */
    JsonObject uploadSignatures(JsonObject body) {
        JsonObject failures = new JsonObject();
        for (String userId : body.fieldNames()) {
            if (!(body.getValue(userId) instanceof JsonObject byKey)) throw Http.badJson("bad signatures");
            for (String keyId : byKey.fieldNames()) {
                JsonObject signed = byKey.getJsonObject(keyId);
                JsonObject target = deviceKeys.get(id(userId, keyId));
                if (target == null) target = crossSigningKey(userId, keyId);
                if (target == null || signed == null) {
                    failures.put(userId, new JsonObject().put(keyId, new JsonObject().put("errcode", "M_NOT_FOUND")
                            .put("error", "No such key")));
                    continue;
                }
                JsonObject into = target.getJsonObject("signatures", new JsonObject());
                signed.getJsonObject("signatures", new JsonObject()).forEach(s -> {
                    JsonObject bySigner = into.getJsonObject(s.getKey(), new JsonObject());
                    ((JsonObject) s.getValue()).forEach(sig -> bySigner.put(sig.getKey(), sig.getValue()));
                    into.put(s.getKey(), bySigner);
                });
                target.put("signatures", into);
                changed(userId);
            }
        }
        return new JsonObject().put("failures", failures);
    }

    private JsonObject crossSigningKey(String userId, String publicKey) {
        for (JsonObject key : crossSigning.getOrDefault(userId, Map.of()).values()) {
            if (key.getJsonObject("keys", new JsonObject()).getMap().containsValue(publicKey)) return key;
        }
        return null;
    }

    /** A device was deleted: its keys go, and the users who share a room hear of it. */
    void deviceDeleted(String userId, String deviceId) {
        boolean had = deviceKeys.remove(id(userId, deviceId)) != null;
        oneTimeKeys.remove(id(userId, deviceId));
        fallbackKeys.remove(id(userId, deviceId));
        if (had) changed(userId);
    }

    /** Records a change of the user's device list at the next position. */
    void changed(String userId) {
        changes.add(new Change(model.next(), userId));
        model.changed();
    }

    /** Users whose device lists changed at positions in {@code (from, to]}. */
    List<String> changedBetween(long from, long to) {
        return changes.stream().filter(c -> c.position > from && c.position <= to).map(Change::userId).distinct()
                .toList();
    }

    private static String algorithm(String keyId) {
        int colon = keyId.indexOf(':');
        return colon < 0 ? keyId : keyId.substring(0, colon);
    }
}
