package org.conclave.sfu.forward;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.bwe.KeyFrameOptions;
import org.conclave.sfu.bwe.KeyFrameRequestLimiter;
import org.conclave.sfu.bwe.SenderClamp;
import org.conclave.sfu.bwe.VideoCodec;
import org.conclave.sfu.e2ee.FrameLayout;
import org.conclave.sfu.rtp.ExtensionUri;

/**
 * The packet thread's view of one {@link Source}: which input SSRCs feed it (one per simulcast layer), which
 * receivers get it, the key-frame limits per layer, and (video) the clamp that computes the bitrate to ask the sender
 * for. Arrays are replaced (copy on change) only by control tasks, which run on the packet thread too.
 */
final class SourceRoute {
    private static final OutgoingStream[] NONE = new OutgoingStream[0];

    final Source source;
    final EndpointMedia sender;
    final byte[] midBytes;
    final int layerCount;
    /** Payload types of the source's media codecs (not RTX): only these may feed the source. */
    final boolean[] mediaPayloadTypes = new boolean[128];
    /** RTX payload type -> the media payload type it repairs, -1 for none. */
    final int[] rtxApt = new int[128];
    /** The codec of each media payload type, for the end-to-end-encryption check. */
    final FrameLayout.Codec[] frameCodecs = new FrameLayout.Codec[128];
    /** The codec of each media payload type, for key-frame detection (layer switches). */
    final VideoCodec[] videoCodecs = new VideoCodec[128];
    /** The sender's ids of rid, repaired-rid, audio-level and transport-wide-cc, 0 when not negotiated. */
    final int ridExtensionId;
    final int repairedRidExtensionId;
    final int audioLevelExtensionId;
    final int transportCcExtensionId;
    final byte[][] ridBytes;
    /** The SSRC that last fed each layer (0 before any). */
    final int[] layerSsrc;
    /** Observed bitrate per layer, bit/s. */
    final long[] layerBitrateBps;
    /** The SSRC that last fed this source; a change means the sender restarted its stream (single-layer sources). */
    int currentInputSsrc;
    boolean hasInput;
    long lastInputNanos;
    /** Screen shares get bandwidth before cameras. */
    boolean screenShare;
    OutgoingStream[] subscribers = NONE;
    /** Key-frame requests upstream, per layer: at most one per interval, the ones in between coalesced. */
    final KeyFrameRequestLimiter[] keyFrames;
    /** Video: the bitrate to ask the sender for, from the viewers' estimates; null for audio. */
    final SenderClamp<OutgoingStream> clamp;

    SourceRoute(Source source, EndpointMedia sender, KeyFrameOptions keyFrameOptions, ClampOptions clampOptions) {
        this.source = source;
        this.sender = sender;
        this.midBytes = source.mid().getBytes(StandardCharsets.US_ASCII);
        this.layerCount = source.layerCount();
        Arrays.fill(rtxApt, -1);
        source.codecs().forEach((pt, key) -> {
            if (pt >= 0 && pt < 128) {
                mediaPayloadTypes[pt] = true;
                frameCodecs[pt] = FrameLayout.codecOf(key);
                videoCodecs[pt] = VideoCodec.of(key);
            }
        });
        source.rtxPayloadTypes().forEach((rtx, apt) -> {
            if (rtx >= 0 && rtx < 128 && apt >= 0 && apt < 128) rtxApt[rtx] = apt;
        });
        this.ridExtensionId = idOf(source.extensions(), ExtensionUri.RTP_STREAM_ID);
        this.repairedRidExtensionId = idOf(source.extensions(), ExtensionUri.REPAIRED_RTP_STREAM_ID);
        this.audioLevelExtensionId = idOf(source.extensions(), ExtensionUri.AUDIO_LEVEL);
        this.transportCcExtensionId = idOf(source.extensions(), ExtensionUri.TRANSPORT_WIDE_CC);
        this.ridBytes = source.rids().stream().map(r -> r.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        this.layerSsrc = new int[layerCount];
        this.layerBitrateBps = new long[layerCount];
        this.keyFrames = new KeyFrameRequestLimiter[layerCount];
        for (int i = 0; i < layerCount; i++) keyFrames[i] = new KeyFrameRequestLimiter(keyFrameOptions);
        // A single-layer video has no thumbnail to fall back to: every viewer limits it, none is demoted.
        this.clamp = source.kind() == MediaKind.VIDEO
                ? new SenderClamp<>(layerCount > 1 ? clampOptions : withoutFloor(clampOptions)) : null;
    }

    private static ClampOptions withoutFloor(ClampOptions o) {
        return new ClampOptions(0, o.recoverFactor(), o.enterFloorMillis(), o.leaveFloorMillis(), o.changeThreshold(),
                o.refreshMillis(), o.minRequestBps(), o.maxRequestBps());
    }

    private static int idOf(Map<Integer, String> extensions, ExtensionUri uri) {
        for (Map.Entry<Integer, String> e : extensions.entrySet()) {
            if (e.getValue().equals(uri.uri())) return e.getKey();
        }
        return 0;
    }

    /** The layer a rid names, by bytes of a header extension, or -1. */
    int layerOfRid(byte[] b, int off, int len) {
        outer:
        for (int i = 0; i < ridBytes.length; i++) {
            byte[] rid = ridBytes[i];
            if (rid.length != len) continue;
            for (int j = 0; j < len; j++) {
                if (rid[j] != b[off + j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** The layer of an SSRC declared in a=ssrc-group:SIM, or -1. */
    int layerOfDeclaredSsrc(int ssrc) {
        long[] layers = source.layerSsrcs();
        for (int i = 0; i < layers.length; i++) {
            if ((int) layers[i] == ssrc) return i;
        }
        return -1;
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
            if (s.receiver != receiver) {
                next[n++] = s;
            } else if (clamp != null) {
                clamp.removeViewer(s);
            }
        }
        subscribers = n == 0 ? NONE : Arrays.copyOf(next, n);
    }
}
