package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * To-device messages: an inbox per (user, device), filled by {@code /sendToDevice} (users', or the appservice's as
 * one of its users) and read by {@code /sync}, which returns what is newer than its {@code since} and deletes what
 * that {@code since} acknowledges. Messages for users of the appservice's namespace go to the appservice instead
 * (MSC2409). As Synapse: {@code *} means every device the user has, a device that does not exist gets nothing, and
 * a repeated transaction id of the same device is the same send. Not thread-safe: callers hold the {@link Model}'s
 * lock.
 */
final class ToDevice {
    /** Which devices of an appservice user a message is delivered to. */
    public enum AppserviceDevices {
        /** Synapse: only devices the user has ({@code *} = all of them; none = dropped). */
        EXISTING,
        /** Any device id the sender named, {@code *} passed on as is (a homeserver more lenient than Synapse). */
        ANY
    }

    interface Listener {
        boolean isAppserviceUser(String userId);

        /** A message for an appservice user: {@code type, sender, content, to_user_id, to_device_id}. */
        void toAppservice(JsonObject message);
    }

    private record Message(long position, JsonObject json) {}

    private final Model model;
    private final Listener listener;
    private final Map<String, List<Message>> inboxes = new HashMap<>(); // user \0 device
    private final Set<String> transactions = new HashSet<>();
    private volatile AppserviceDevices appserviceDevices = AppserviceDevices.EXISTING;
    private UnaryOperator<JsonObject> interference = UnaryOperator.identity();
    private int interfered;

    ToDevice(Model model, Listener listener) {
        this.model = model;
        this.listener = listener;
    }

    void appserviceDevices(AppserviceDevices value) {
        this.appserviceDevices = value;
    }

    /**
     * Test-only: every message for one device ({@code type, sender, content, to_user_id, to_device_id}) goes through
     * {@code f} before its inbox (or the appservice): null drops it, another object replaces it. Identity = off.
     */
    void interfere(UnaryOperator<JsonObject> f) {
        interference = f;
    }

    /** Messages the interference dropped or changed so far. */
    int interfered() {
        return interfered;
    }

    /**
     * {@code PUT /sendToDevice/{type}/{txnId}} with {@code {messages: {user: {device|*: content}}}}.
     *
     * @param scope who the transaction id belongs to (the sending device, or the appservice user)
     */
    void send(String scope, String txnId, String sender, String type, JsonObject body) {
        if (!(body.getValue("messages") instanceof JsonObject messages)) {
            throw Http.badJson("messages must be an object");
        }
        if (!transactions.add(scope + "\u0000" + type + "\u0000" + txnId)) return;
        for (String userId : messages.fieldNames()) {
            if (!(messages.getValue(userId) instanceof JsonObject byDevice)) throw Http.badJson("bad messages");
            for (String deviceId : byDevice.fieldNames()) {
                if (!(byDevice.getValue(deviceId) instanceof JsonObject content)) {
                    throw Http.badJson("to-device content must be an object");
                }
                JsonObject json = new JsonObject().put("type", type).put("sender", sender).put("content", content);
                deliver(userId, deviceId, json);
            }
        }
        model.changed();
    }

    private void deliver(String userId, String deviceId, JsonObject json) {
        boolean appservice = listener.isAppserviceUser(userId);
        List<String> targets;
        if (appservice && appserviceDevices == AppserviceDevices.ANY) {
            targets = List.of(deviceId);
        } else if (deviceId.equals("*")) {
            targets = model.users.devices(userId);
        } else {
            targets = model.users.hasDevice(userId, deviceId) ? List.of(deviceId) : List.of();
        }
        for (String target : targets) {
            JsonObject addressed = json.copy().put("to_user_id", userId).put("to_device_id", target);
            JsonObject message = interference.apply(addressed.copy());
            if (!addressed.equals(message)) interfered++;
            if (message == null) continue;
            if (appservice) {
                listener.toAppservice(message);
            } else {
                message.remove("to_user_id");
                message.remove("to_device_id");
                inboxes.computeIfAbsent(userId + "\u0000" + target, k -> new ArrayList<>())
                        .add(new Message(model.next(), message));
            }
        }
    }

    /** Deletes what {@code since} acknowledges, returns the rest up to {@code to}. */
    List<JsonObject> read(String userId, String deviceId, long since, long to) {
        List<Message> inbox = inboxes.getOrDefault(userId + "\u0000" + deviceId, new ArrayList<>());
        inbox.removeIf(m -> m.position <= since);
        return inbox.stream().filter(m -> m.position <= to).map(m -> m.json.copy()).toList();
    }

    /** Messages waiting for the device (not yet acknowledged). */
    int pending(String userId, String deviceId) {
        return inboxes.getOrDefault(userId + "\u0000" + deviceId, List.of()).size();
    }

    void deviceDeleted(String userId, String deviceId) {
        inboxes.remove(userId + "\u0000" + deviceId);
    }
}
