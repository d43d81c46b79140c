package org.conclave.sfu.room;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the conference control protocol.
 *
 * @param waitingTimeout how long a guest may wait in a locked conference before it is disconnected
 * @param speakerHold how long a participant must be the loudest before it becomes the dominant speaker
 * @param voiceLevel RFC 6464 level (0 loudest .. 127 silent) at or below which audio counts as voice
 * @param speakingHangover how long a participant still counts as speaking after its last voice level
 * @param speakingClaimTimeout how long a client's own "I am talking" claim lasts unless repeated
 * @param thumbnailMaxWidth a subscription at most this wide (and at most thumbnailMaxHeight high) gets the thumbnail
 * @param thumbnailMaxHeight see thumbnailMaxWidth; anything larger gets full resolution
 * @param maxMessageBytes larger control messages are refused unread (UTF-8 bytes)
 * @param maxJsonDepth deepest nesting of objects and arrays a message may have
 * @param maxListItems most entries in one list or map of a message (subscriptions, streams, filters)
 * @param maxNameFilterLength longest name substring of a roster filter
 * @param maxIdLength longest id (endpoint, stream, track, request id) or reason a message may carry
 * @param messagesPerSecond control messages one endpoint may send per second (a burst of twice that passes); the
 *     data-channel layer drops the rest before they reach the room
 */
public record RoomOptions(Duration waitingTimeout, Duration speakerHold, int voiceLevel, Duration speakingHangover,
        Duration speakingClaimTimeout, int thumbnailMaxWidth, int thumbnailMaxHeight, int maxMessageBytes,
        int maxJsonDepth, int maxListItems, int maxNameFilterLength, int maxIdLength, int messagesPerSecond) {

    public static final Duration DEFAULT_WAITING_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SPEAKER_HOLD = Duration.ofMillis(600);
    /** -55 dBov: quiet speech still counts, room noise of a muted-looking mic does not. */
    public static final int DEFAULT_VOICE_LEVEL = 55;
    public static final Duration DEFAULT_SPEAKING_HANGOVER = Duration.ofMillis(1000);
    public static final Duration DEFAULT_SPEAKING_CLAIM_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_THUMBNAIL_MAX_WIDTH = 320;
    public static final int DEFAULT_THUMBNAIL_MAX_HEIGHT = 180;
    /** The data channels' own limit (RFC 8831 max-message-size we announce): whatever SCTP delivers is read. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 262_144;
    public static final int DEFAULT_MAX_JSON_DEPTH = 8;
    public static final int DEFAULT_MAX_LIST_ITEMS = 256;
    public static final int DEFAULT_MAX_NAME_FILTER_LENGTH = 64;
    public static final int DEFAULT_MAX_ID_LENGTH = 256;
    /** Far above what a client sends (pings, subscriptions on layout changes, speaking claims); cuts a flood. */
    public static final int DEFAULT_MESSAGES_PER_SECOND = 20;

    public static final RoomOptions DEFAULTS = new RoomOptions(DEFAULT_WAITING_TIMEOUT, DEFAULT_SPEAKER_HOLD,
            DEFAULT_VOICE_LEVEL, DEFAULT_SPEAKING_HANGOVER, DEFAULT_SPEAKING_CLAIM_TIMEOUT,
            DEFAULT_THUMBNAIL_MAX_WIDTH, DEFAULT_THUMBNAIL_MAX_HEIGHT, DEFAULT_MAX_MESSAGE_BYTES,
            DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_LIST_ITEMS, DEFAULT_MAX_NAME_FILTER_LENGTH, DEFAULT_MAX_ID_LENGTH,
            DEFAULT_MESSAGES_PER_SECOND);

    public RoomOptions {
        positive("waitingTimeout", waitingTimeout);
        positive("speakerHold", speakerHold);
        positive("speakingHangover", speakingHangover);
        positive("speakingClaimTimeout", speakingClaimTimeout);
        if (voiceLevel < 0 || voiceLevel > 127) {
            throw new IllegalArgumentException("voiceLevel must be an RFC 6464 level 0..127, got " + voiceLevel);
        }
        atLeast("thumbnailMaxWidth", thumbnailMaxWidth, 1);
        atLeast("thumbnailMaxHeight", thumbnailMaxHeight, 1);
        atLeast("maxMessageBytes", maxMessageBytes, 1024);
        atLeast("maxJsonDepth", maxJsonDepth, 4);
        atLeast("maxListItems", maxListItems, 1);
        atLeast("maxNameFilterLength", maxNameFilterLength, 1);
        atLeast("maxIdLength", maxIdLength, 16);
        atLeast("messagesPerSecond", messagesPerSecond, 1);
    }

    public RoomOptions withWaitingTimeout(Duration d) {
        return new RoomOptions(d, speakerHold, voiceLevel, speakingHangover, speakingClaimTimeout, thumbnailMaxWidth,
                thumbnailMaxHeight, maxMessageBytes, maxJsonDepth, maxListItems, maxNameFilterLength, maxIdLength,
                messagesPerSecond);
    }

    public RoomOptions withSpeakerHold(Duration d) {
        return new RoomOptions(waitingTimeout, d, voiceLevel, speakingHangover, speakingClaimTimeout, thumbnailMaxWidth,
                thumbnailMaxHeight, maxMessageBytes, maxJsonDepth, maxListItems, maxNameFilterLength, maxIdLength,
                messagesPerSecond);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
}
