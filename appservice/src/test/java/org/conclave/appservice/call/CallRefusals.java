package org.conclave.appservice.call;

import static org.conclave.appservice.call.ServiceRig.CONF;

/** The conference-room set-ups the refusal tables name. */
final class CallRefusals {
    private CallRefusals() {}

    /**
     * @param setup {@code member} (the caller joined), {@code not-member}, {@code no-bot} (the bot is not in the
     *     room), {@code no-conf-id}, {@code group-id} (a group call id nobody published)
     */
    static void setUp(ServiceRig rig, String setup, String caller) {
        switch (setup) {
            case "member", "no-conf-id", "group-id" -> rig.conference(CONF, caller);
            case "not-member" -> rig.conference(CONF);
            case "no-bot" -> { }
            default -> throw new IllegalArgumentException(setup);
        }
    }
}
