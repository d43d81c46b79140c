package org.conclave.sfu.room;

/** What {@link Room#join} did with a newcomer. */
public enum JoinResult {
    /** In the conference: media flows, roster and events follow. */
    ADMITTED,
    /** Held in the waiting room (locked conference, guest): no media until a host admits it. */
    WAITING
}
