package org.conclave.sfu.bwe;

import org.conclave.sfu.control.VideoQuality;

/**
 * An SFU decision to report to a receiver (the data-channel issue delivers it): it now gets {@code quality} of a
 * sender's video because of its bandwidth, whatever it subscribed to.
 *
 * @param viewer the receiver, as the caller identified it to {@link SenderClamp}
 */
public record LayerDecision<V>(V viewer, VideoQuality quality) {}
