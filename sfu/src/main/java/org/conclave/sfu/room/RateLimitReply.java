package org.conclave.sfu.room;

/** What a client hears when the data-channel layer drops its messages for exceeding {@code messagesPerSecond}. */
public final class RateLimitReply {
    private RateLimitReply() {}

    /** {@code org.conclave.error} {@code M_LIMIT_EXCEEDED}, naming the rate and its key. */
    public static String tooManyMessages(int perSecond) {
        return ServerMessages.error(ErrorCode.M_LIMIT_EXCEEDED, "you sent more than " + perSecond + " control "
                + "messages a second (sfu.room_messages_per_second); the excess was dropped unread, so some of your "
                + "requests had no effect. Send them again more slowly.", null, null);
    }
}
