package org.conclave.appservice.config;

import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigValidator;

/**
 * The caps of section {@code calls} that keep one user or one room from taking the conference server for itself
 * (docs/reliability.md, "Floods and abuse"). Checked before anything is looked up or allocated.
 *
 * @param maxInvitesPerUserPerMinute invites one user may place per minute (every invite counts, refused or not)
 * @param maxInvitesPerRoomPerMinute invites into one conference room per minute, all callers together
 * @param maxCallsPerUser calls one user may have at once (being set up or running), all devices together
 * @param limitNoticeIntervalMs a caller refused by a cap is told (m.call.reject and a notice) at most once per this;
 *     further refused invites within it get no answer, so a flood cannot turn into a flood of notices
 */
public record CallLimits(int maxInvitesPerUserPerMinute, int maxInvitesPerRoomPerMinute, int maxCallsPerUser,
        int limitNoticeIntervalMs) {
    public static final String MAX_INVITES_PER_USER_PER_MINUTE = "max_invites_per_user_per_minute";
    public static final String MAX_INVITES_PER_ROOM_PER_MINUTE = "max_invites_per_room_per_minute";
    public static final String MAX_CALLS_PER_USER = "max_calls_per_user";
    public static final String LIMIT_NOTICE_INTERVAL_MS = "limit_notice_interval_ms";

    public static final int DEFAULT_MAX_INVITES_PER_USER_PER_MINUTE = 20;
    public static final int DEFAULT_MAX_INVITES_PER_ROOM_PER_MINUTE = 120;
    public static final int DEFAULT_MAX_CALLS_PER_USER = 10;
    public static final int DEFAULT_LIMIT_NOTICE_INTERVAL_MS = 60_000;

    public static final CallLimits DEFAULTS = new CallLimits(DEFAULT_MAX_INVITES_PER_USER_PER_MINUTE,
            DEFAULT_MAX_INVITES_PER_ROOM_PER_MINUTE, DEFAULT_MAX_CALLS_PER_USER, DEFAULT_LIMIT_NOTICE_INTERVAL_MS);

    public CallLimits {
        new ConfigValidator(CallConfig.SECTION)
                .range(MAX_INVITES_PER_USER_PER_MINUTE, maxInvitesPerUserPerMinute, 1, 100_000)
                .range(MAX_INVITES_PER_ROOM_PER_MINUTE, maxInvitesPerRoomPerMinute, 1, 100_000)
                .range(MAX_CALLS_PER_USER, maxCallsPerUser, 1, 10_000)
                .range(LIMIT_NOTICE_INTERVAL_MS, limitNoticeIntervalMs, 1_000, 3_600_000)
                .throwIfInvalid();
    }

    /** Reads the keys from section {@code calls}; problems go to the section (thrown by its source's finish). */
    static CallLimits read(ConfigSection s) {
        int user = s.integer(MAX_INVITES_PER_USER_PER_MINUTE, DEFAULT_MAX_INVITES_PER_USER_PER_MINUTE);
        int room = s.integer(MAX_INVITES_PER_ROOM_PER_MINUTE, DEFAULT_MAX_INVITES_PER_ROOM_PER_MINUTE);
        int calls = s.integer(MAX_CALLS_PER_USER, DEFAULT_MAX_CALLS_PER_USER);
        int notice = s.integer(LIMIT_NOTICE_INTERVAL_MS, DEFAULT_LIMIT_NOTICE_INTERVAL_MS);
        return s.build(() -> new CallLimits(user, room, calls, notice));
    }
}
