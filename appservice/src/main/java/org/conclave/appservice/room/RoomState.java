package org.conclave.appservice.room;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the appservice knows of one room's current state: memberships, power levels, encryption, the create event, and
 * the state of the extra types its owner asked for (the bot's call state). Only those types are kept, so a large room
 * costs one string per member. Changed only through {@link #apply}; confined to the appservice's context.
 */
public final class RoomState {
    public static final String MEMBER = "m.room.member";
    public static final String POWER_LEVELS = "m.room.power_levels";
    public static final String ENCRYPTION = "m.room.encryption";
    public static final String CREATE = "m.room.create";
    private static final Set<String> CORE_TYPES = Set.of(MEMBER, POWER_LEVELS, ENCRYPTION, CREATE);
    /** Room versions in which the creators outrank every power level (room version 12, MSC4289). */
    private static final Set<String> PRIVILEGED_CREATOR_VERSIONS = Set.of("12", "org.matrix.hydra.11");

    private final String roomId;
    private final Set<String> extraTypes;
    private final Map<String, String> memberships = new HashMap<>();
    private JsonObject powerLevels;
    private boolean encrypted;
    private JsonObject create;
    /** type → state key → event (sender, content), for {@link #extraTypes}. */
    private final Map<String, Map<String, JsonObject>> extra = new HashMap<>();

    RoomState(String roomId, Set<String> extraTypes) {
        this.roomId = roomId;
        this.extraTypes = extraTypes;
    }

    public String roomId() {
        return roomId;
    }

    /** Whether events of this state type are kept. */
    boolean tracks(String type) {
        return CORE_TYPES.contains(type) || extraTypes.contains(type);
    }

    /** The key that tells one piece of state from another: type and state key. */
    static String key(String type, String stateKey) {
        return type + "\u0000" + stateKey;
    }

    /**
     * Takes a state event (client format: {@code type}, {@code state_key}, {@code sender}, {@code content}). Events of
     * untracked types and events without a string state key are ignored.
     */
    void apply(JsonObject event) {
        String type = event.getValue("type") instanceof String t ? t : null;
        String stateKey = event.getValue("state_key") instanceof String k ? k : null;
        if (type == null || stateKey == null || !tracks(type)) return;
        JsonObject content = event.getValue("content") instanceof JsonObject c ? c : new JsonObject();
        switch (type) {
            case MEMBER -> {
                String membership = content.getValue("membership") instanceof String m ? m : "leave";
                if (membership.equals("leave")) {
                    memberships.remove(stateKey);
                } else {
                    memberships.put(stateKey, membership);
                }
            }
            case POWER_LEVELS -> {
                if (stateKey.isEmpty()) powerLevels = content.copy();
            }
            // Any m.room.encryption makes the room encrypted; Matrix has no way back.
            case ENCRYPTION -> encrypted = encrypted || stateKey.isEmpty();
            case CREATE -> {
                if (stateKey.isEmpty()) create = new JsonObject().put("sender", event.getValue("sender"))
                        .put("content", content.copy());
            }
            default -> extra.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(stateKey,
                    new JsonObject().put("sender", event.getValue("sender")).put("content", content.copy()));
        }
    }

    /** {@code join}, {@code invite}, {@code ban}, {@code knock}, or {@code leave} (also for users never seen). */
    public String membership(String userId) {
        return memberships.getOrDefault(userId, "leave");
    }

    public int joinedCount() {
        return (int) memberships.values().stream().filter("join"::equals).count();
    }

    public boolean encrypted() {
        return encrypted;
    }

    public PowerLevels powerLevels() {
        return new PowerLevels(powerLevels);
    }

    /**
     * A user's power level with the spec's rules: a creator of a room version 12 room outranks everything
     * ({@link Long#MAX_VALUE}); without a power levels event, the creator has 100 and everyone else 0.
     */
    public long powerLevel(String userId) {
        Set<String> creators = creators();
        if (privilegedCreators() && creators.contains(userId)) return Long.MAX_VALUE;
        if (powerLevels != null) return powerLevels().user(userId);
        return creators.contains(userId) ? PowerLevels.CREATOR_WITHOUT_EVENT : 0;
    }

    /** The kept state of an extra type: state key → event ({@code sender}, {@code content}); empty if none. */
    public Map<String, JsonObject> extra(String type) {
        return Map.copyOf(extra.getOrDefault(type, Map.of()));
    }

    private boolean privilegedCreators() {
        return create != null && PRIVILEGED_CREATOR_VERSIONS.contains(
                create.getJsonObject("content").getValue("room_version") instanceof String v ? v : "1");
    }

    private Set<String> creators() {
        if (create == null) return Set.of();
        Set<String> creators = new HashSet<>();
        JsonObject content = create.getJsonObject("content");
        Object sender = create.getValue("sender");
        if (privilegedCreators()) {
            if (sender instanceof String s) creators.add(s);
            if (content.getValue("additional_creators") instanceof JsonArray more) {
                more.forEach(c -> {
                    if (c instanceof String s) creators.add(s);
                });
            }
        } else if (content.getValue("creator") instanceof String creator) {
            creators.add(creator); // room versions 1–10
        } else if (sender instanceof String s) {
            creators.add(s); // room version 11: the sender is the creator
        }
        return creators;
    }
}
