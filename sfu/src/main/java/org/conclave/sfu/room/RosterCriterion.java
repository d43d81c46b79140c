package org.conclave.sfu.room;

/** One roster filter criterion (Pexip's /filter); a filter keeps entries matching all of its criteria. */
public enum RosterCriterion {
    ALL("all"), HOSTS("hosts"), GUESTS("guests"), WAITING("waiting"), HAND_RAISED("hand_raised"),
    SPEAKING("speaking"), MUTED("muted"), SPOTLIGHT("spotlight"), AUDIO_ONLY("audio_only");

    private final String wire;

    RosterCriterion(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static RosterCriterion ofWire(String wire) {
        for (RosterCriterion c : values()) {
            if (c.wire.equals(wire)) return c;
        }
        return null;
    }

    boolean matches(RosterEntry e) {
        return switch (this) {
            case ALL -> true;
            case HOSTS -> e.role() == org.conclave.sfu.control.Role.HOST;
            case GUESTS -> e.role() == org.conclave.sfu.control.Role.GUEST;
            case WAITING -> e.waiting();
            case HAND_RAISED -> e.handPosition() > 0;
            case SPEAKING -> e.speaking();
            case MUTED -> e.muted() || e.selfMuted();
            case SPOTLIGHT -> e.spotlight();
            case AUDIO_ONLY -> e.audioOnly();
        };
    }
}
