package org.conclave.sfu.bwe;

/**
 * Bytes per time bucket over a sliding window, on any microsecond timeline (the receiver's arrival clock for the
 * acknowledged bitrate). Samples older than the window are ignored; until a whole window has passed the rate is over
 * the time seen so far (at least one bucket long). Not thread-safe; no allocation after construction.
 */
final class BitrateWindow {
    private final long bucketUs;
    private final long[] bucketId;
    private final long[] bytes;
    private long latestId = Long.MIN_VALUE;
    private long latestUs;
    private long firstUs;

    BitrateWindow(long windowUs, int buckets) {
        if (buckets < 1 || windowUs < buckets) {
            throw new IllegalArgumentException("bad window " + windowUs + " us / " + buckets);
        }
        bucketUs = windowUs / buckets;
        bucketId = new long[buckets];
        bytes = new long[buckets];
        java.util.Arrays.fill(bucketId, Long.MIN_VALUE);
    }

    void add(long timeUs, int size) {
        long id = Math.floorDiv(timeUs, bucketUs);
        if (latestId == Long.MIN_VALUE) {
            latestId = id;
            latestUs = timeUs;
            firstUs = timeUs;
        } else if (id <= latestId - bucketId.length) {
            return;
        }
        if (timeUs > latestUs) {
            latestUs = timeUs;
            latestId = id;
        }
        firstUs = Math.min(firstUs, timeUs);
        int slot = (int) Math.floorMod(id, (long) bucketId.length);
        if (bucketId[slot] != id) {
            bucketId[slot] = id;
            bytes[slot] = 0;
        }
        bytes[slot] += size;
    }

    boolean hasData() {
        return latestId != Long.MIN_VALUE;
    }

    /** @return bits per second over the window ending at the latest sample, or -1 without samples */
    long rateBps() {
        if (latestId == Long.MIN_VALUE) {
            return -1;
        }
        long sum = 0;
        long oldest = latestId - bucketId.length;
        for (int i = 0; i < bucketId.length; i++) {
            if (bucketId[i] > oldest && bucketId[i] <= latestId) {
                sum += bytes[i];
            }
        }
        // The oldest bucket counted starts here; the newest is only filled up to the latest sample.
        long start = Math.max(firstUs, (oldest + 1) * bucketUs);
        long spanUs = Math.max(bucketUs, latestUs - start);
        return sum * 8 * 1_000_000 / spanUs;
    }
}
