package org.conclave.sfu.bwe;

/** The over-use detector's hypothesis about the path (GCC draft-ietf-rmcat-gcc-02 §5.4). */
public enum BandwidthUsage {
    NORMAL, UNDERUSING, OVERUSING
}
