package org.conclave.sfu.config;

import java.time.Duration;
import org.conclave.sfu.room.RoomOptions;

/**
 * The conference-control keys of section {@code sfu} ({@code room_*}, docs/operators.md), read into the room
 * package's {@link RoomOptions}; the parser limits not listed keep their defaults.
 */
public final class RoomConfig {
    public static final String WAITING_TIMEOUT_MS = "room_waiting_timeout_ms";
    public static final String SPEAKER_HOLD_MS = "room_speaker_hold_ms";
    public static final String VOICE_LEVEL = "room_voice_level";
    public static final String THUMBNAIL_MAX_WIDTH = "room_thumbnail_max_width";
    public static final String THUMBNAIL_MAX_HEIGHT = "room_thumbnail_max_height";
    public static final String MAX_MESSAGE_BYTES = "room_max_message_bytes";
    public static final String MESSAGES_PER_SECOND = "room_messages_per_second";
    public static final String MAX_JSON_DEPTH = "room_max_json_depth";
    public static final String MAX_LIST_ITEMS = "room_max_list_items";

    private RoomConfig() {}

    static RoomOptions read(ConfigSection s) {
        RoomOptions d = RoomOptions.DEFAULTS;
        int waiting = s.integer(WAITING_TIMEOUT_MS, (int) d.waitingTimeout().toMillis());
        int hold = s.integer(SPEAKER_HOLD_MS, (int) d.speakerHold().toMillis());
        int voice = s.integer(VOICE_LEVEL, d.voiceLevel());
        int width = s.integer(THUMBNAIL_MAX_WIDTH, d.thumbnailMaxWidth());
        int height = s.integer(THUMBNAIL_MAX_HEIGHT, d.thumbnailMaxHeight());
        int message = s.integer(MAX_MESSAGE_BYTES, d.maxMessageBytes());
        int rate = s.integer(MESSAGES_PER_SECOND, d.messagesPerSecond());
        int depth = s.integer(MAX_JSON_DEPTH, d.maxJsonDepth());
        int items = s.integer(MAX_LIST_ITEMS, d.maxListItems());
        return s.build(() -> {
            new ConfigValidator(SfuConfig.SECTION)
                    .range(WAITING_TIMEOUT_MS, waiting, 1_000, 86_400_000)
                    .range(SPEAKER_HOLD_MS, hold, 1, 60_000)
                    .range(VOICE_LEVEL, voice, 0, 127)
                    .range(THUMBNAIL_MAX_WIDTH, width, 1, 10_000)
                    .range(THUMBNAIL_MAX_HEIGHT, height, 1, 10_000)
                    .range(MAX_MESSAGE_BYTES, message, 1024, 262_144)
                    .range(MESSAGES_PER_SECOND, rate, 1, 10_000)
                    // 8 holds every message the protocol defines (stream metadata with its tracks is the deepest).
                    .range(MAX_JSON_DEPTH, depth, 8, 64)
                    .range(MAX_LIST_ITEMS, items, 16, 4096)
                    .throwIfInvalid();
            return new RoomOptions(Duration.ofMillis(waiting), Duration.ofMillis(hold), voice,
                    d.speakingHangover(), d.speakingClaimTimeout(), width, height, message, depth, items,
                    d.maxNameFilterLength(), d.maxIdLength(), rate);
        });
    }
}
