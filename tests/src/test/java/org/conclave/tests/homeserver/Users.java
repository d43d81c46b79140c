package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accounts, devices, access tokens and profiles. Not thread-safe: callers hold the {@link Model}'s lock.
 *
 * <p>Each login creates a device and a token bound to it (Synapse); logging out deletes both. The appservice's
 * users are registered without a device ({@code inhibit_login}) and act with the as_token.
 */
final class Users {
    /** Who an access token belongs to. */
    record Session(String userId, String deviceId, String accessToken) {}

    private final String serverName;
    private final Set<String> users = new LinkedHashSet<>();
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<String, Map<String, String>> devices = new HashMap<>(); // user -> device -> display name
    private final Map<String, Session> tokens = new HashMap<>();
    private final Map<String, String> displayNames = new HashMap<>();
    private final List<String> registrations = new ArrayList<>();
    private final Map<String, List<JsonObject>> filters = new HashMap<>();

    Users(String serverName) {
        this.serverName = serverName;
    }

    String userId(String localpartOrId) {
        return localpartOrId.startsWith("@") ? localpartOrId : "@" + localpartOrId + ":" + serverName;
    }

    boolean exists(String userId) {
        return users.contains(userId);
    }

    /** Adds the user if new; true when it was new. */
    boolean add(String userId) {
        return users.add(userId);
    }

    void password(String userId, String password) {
        users.add(userId);
        passwords.put(userId, password);
    }

    boolean checkPassword(String userId, String password) {
        return password != null && password.equals(passwords.get(userId));
    }

    /** Records an appservice registration attempt (repeats included). */
    void registered(String localpart) {
        registrations.add(localpart);
    }

    List<String> registrations() {
        return List.copyOf(registrations);
    }

    /** A new token on {@code deviceId} (created if new; null = a fresh id). */
    Session login(String userId, String deviceId, String displayName) {
        users.add(userId);
        String device = deviceId == null ? Http.deviceId() : deviceId;
        Map<String, String> own = devices.computeIfAbsent(userId, u -> new LinkedHashMap<>());
        if (!own.containsKey(device) || displayName != null) own.put(device, displayName);
        // Synapse: logging in again on a device id invalidates the device's earlier tokens.
        tokens.values().removeIf(s -> s.userId.equals(userId) && s.deviceId.equals(device));
        Session session = new Session(userId, device, "syt_" + Http.random(24));
        tokens.put(session.accessToken, session);
        return session;
    }

    Session session(String accessToken) {
        return tokens.get(accessToken);
    }

    /** Deletes the token's device and every token of that device. */
    void logout(Session session) {
        tokens.values().removeIf(s -> s.userId.equals(session.userId) && s.deviceId.equals(session.deviceId));
        Map<String, String> own = devices.get(session.userId);
        if (own != null) own.remove(session.deviceId);
    }

    /** The devices of the user, in creation order. */
    List<String> devices(String userId) {
        return List.copyOf(devices.getOrDefault(userId, Map.of()).keySet());
    }

    boolean hasDevice(String userId, String deviceId) {
        return devices.getOrDefault(userId, Map.of()).containsKey(deviceId);
    }

    String deviceDisplayName(String userId, String deviceId) {
        return devices.getOrDefault(userId, Map.of()).get(deviceId);
    }

    String displayName(String userId) {
        return displayNames.get(userId);
    }

    void displayName(String userId, String name) {
        displayNames.put(userId, name);
    }

    /** Stores a sync filter; its id is its index among the user's filters, as Synapse's. */
    String addFilter(String userId, JsonObject filter) {
        List<JsonObject> own = filters.computeIfAbsent(userId, u -> new ArrayList<>());
        own.add(filter.copy());
        return Integer.toString(own.size() - 1);
    }

    /** The filter, or null. */
    JsonObject filter(String userId, String filterId) {
        List<JsonObject> own = filters.getOrDefault(userId, List.of());
        try {
            int i = Integer.parseInt(filterId);
            return i >= 0 && i < own.size() ? own.get(i).copy() : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
