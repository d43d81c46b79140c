/**
 * What operators need of an SFU, kept off the packet path: the admission gate (drain), counters of what the control
 * contract did (allocations, connections, failures, closes) and the directory of live endpoints. The packet thread's
 * own counters are read from {@code forward.WorkerStats} and {@code forward.MediaSample}.
 */
package org.conclave.sfu.ops;
