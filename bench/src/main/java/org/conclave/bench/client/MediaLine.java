package org.conclave.bench.client;

/**
 * One m-line of an offer the benchmark makes.
 *
 * @param audio Opus if true, VP8 if false
 * @param mid its mid
 * @param sends true: sendonly with {@code ssrc} and msid; false: recvonly
 * @param ssrc the SSRC sent on it (ignored when not sending)
 * @param streamId msid stream id (the participant)
 * @param trackId msid track id ("t" + track index), which an SFU's re-offers carry back
 */
public record MediaLine(boolean audio, String mid, boolean sends, long ssrc, String streamId, String trackId) {
    public static MediaLine receiving(boolean audio, String mid) {
        return new MediaLine(audio, mid, false, 0, null, null);
    }
}
