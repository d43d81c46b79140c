package org.conclave.appservice.call;

/**
 * Who the bot is in call signalling.
 *
 * @param userId the appservice's own user, the one clients call
 * @param deviceId its device (appservice.device_id): to-device signalling is addressed to it
 * @param sessionId this process's session (MSC3401 {@code sender_session_id}): new on every start, so clients can
 *     tell that calls of an earlier run are gone
 */
record BotIdentity(String userId, String deviceId, String sessionId) {}
