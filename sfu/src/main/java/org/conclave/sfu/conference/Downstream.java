package org.conclave.sfu.conference;

import org.conclave.sfu.forward.Source;

/**
 * One m-line the SFU added to a client's session to send it a remote source. The m-line stays (inactive) after the
 * source leaves, because an m-line can never be removed from a session, only reused.
 */
final class Downstream {
    final String mid;
    final Source source;
    boolean active = true;
    /** The client accepted the m-line in its answer and the packet thread forwards to it. */
    boolean subscribed;
    /** What the receiver asked for; thumbnails by default (full-res only on request, or for a spotlight). */
    org.conclave.sfu.control.VideoQuality quality = org.conclave.sfu.control.VideoQuality.THUMBNAIL;

    Downstream(String mid, Source source) {
        this.mid = mid;
        this.source = source;
    }
}
