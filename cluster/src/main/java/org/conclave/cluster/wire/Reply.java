package org.conclave.cluster.wire;

import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuDescription;

/** An SFU node's answer to a {@link Request}. */
public sealed interface Reply {
    /** Done; nothing to return. */
    record Done() implements Reply {}

    record Allocated(EndpointAllocation allocation) implements Reply {}

    record Described(SfuDescription description) implements Reply {}

    /** Done, and this is the node's load now (the answer to a drain, so the drain shows at once). */
    record Loaded(NodeLoad load) implements Reply {}

    /** Refused, as {@link org.conclave.sfu.control.SfuException} says (the message is for people). */
    record Refused(FailureReason reason, String message) implements Reply {}
}
