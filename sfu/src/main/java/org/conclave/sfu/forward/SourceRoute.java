package org.conclave.sfu.forward;

import java.util.Arrays;
import org.conclave.sfu.bwe.KeyFrameOptions;
import org.conclave.sfu.bwe.KeyFrameRequestLimiter;

/**
 * The packet thread's view of one {@link Source}: which input SSRC currently feeds it and which receivers get it.
 * Arrays are replaced (copy on change) only by control tasks, which run on the packet thread too.
 */
final class SourceRoute {
    private static final OutgoingStream[] NONE = new OutgoingStream[0];

    final Source source;
    final EndpointMedia sender;
    final byte[] midBytes;
    /** Payload types of the source's media codecs (not RTX): only these may feed the source. */
    final boolean[] mediaPayloadTypes = new boolean[128];
    /** The codec of each media payload type, for the end-to-end-encryption check. */
    final org.conclave.sfu.e2ee.FrameLayout.Codec[] frameCodecs = new org.conclave.sfu.e2ee.FrameLayout.Codec[128];
    /** The SSRC that last fed this source; a change means the sender restarted its stream. */
    int currentInputSsrc;
    boolean hasInput;
    long lastInputNanos;
    OutgoingStream[] subscribers = NONE;
    /** Key-frame requests upstream: at most one per interval per source, the ones in between coalesced. */
    final KeyFrameRequestLimiter keyFrames = new KeyFrameRequestLimiter(KeyFrameOptions.DEFAULTS);

    SourceRoute(Source source, EndpointMedia sender) {
        this.source = source;
        this.sender = sender;
        this.midBytes = source.mid().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        source.codecs().forEach((pt, key) -> {
            if (pt >= 0 && pt < 128) {
                mediaPayloadTypes[pt] = true;
                frameCodecs[pt] = org.conclave.sfu.e2ee.FrameLayout.codecOf(key);
            }
        });
    }

    void addSubscriber(OutgoingStream out) {
        for (OutgoingStream s : subscribers) {
            if (s.receiver == out.receiver) return;
        }
        OutgoingStream[] next = Arrays.copyOf(subscribers, subscribers.length + 1);
        next[next.length - 1] = out;
        subscribers = next;
    }

    void removeSubscriber(EndpointMedia receiver) {
        int n = 0;
        OutgoingStream[] next = new OutgoingStream[subscribers.length];
        for (OutgoingStream s : subscribers) {
            if (s.receiver != receiver) next[n++] = s;
        }
        subscribers = n == 0 ? NONE : Arrays.copyOf(next, n);
    }
}
