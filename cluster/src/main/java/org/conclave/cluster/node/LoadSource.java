package org.conclave.cluster.node;

/** What an SFU node reports of itself in its heartbeat; read on the node's Vert.x context once per heartbeat. */
public interface LoadSource {
    int endpoints();

    int conferences();

    int maxEndpoints();

    /** Share of the time since the previous call the packet thread was working, 0..1. */
    double busyRatio();

    /** The node refuses new endpoints (the node's own drain, a shutdown in progress). */
    boolean refusing();
}
