package org.conclave.sfu.forward;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.keyframe.KeyFrameOptions;
import org.conclave.sfu.keyframe.KeyFrameRequestLimiter;
import org.conclave.sfu.bwe.SenderClamp;
import org.conclave.sfu.codec.CodecFamily;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.rtp.ExtensionUri;
import org.conclave.sfu.rtp.HeaderExtensions;
import org.conclave.sfu.rtp.RtpPacket;

/**
 * The packet thread's view of one {@link Source}: which input SSRCs feed it (one per simulcast layer), which
 * receivers get it, the key-frame limits per layer, and (video) the clamp that computes the bitrate to ask the sender
 * for. Arrays are replaced (copy on change) only by control tasks, which run on the packet thread too.
 */
final class SourceRoute {
    private static final OutgoingStream[] NONE = new OutgoingStream[0];
    /** How long the SSRC feeding a source must be silent before another SSRC of the same source replaces it. */
    static final long INPUT_SILENCE_BEFORE_SWITCH_NS = 1_000_000_000L;

    private static final PipeOut[] NO_PIPES = new PipeOut[0];
    private static final IncomingStream[] NO_INPUTS = new IncomingStream[0];

    final Source source;
    /** The endpoint that publishes it; null on a mirror (the sender lives on another packet thread). */
    final EndpointMedia sender;
    /** A mirror's way back to the source's home thread; null at home. */
    final PipeLink upstream;
    /** At home: the other threads this source is piped to (they have viewers of it). */
    PipeOut[] pipes = NO_PIPES;
    /** A mirror's input streams, as they came through the pipe (each with its own cache for this thread's NACKs). */
    IncomingStream[] mirrorInputs = NO_INPUTS;
    /** A mirror whose home or viewers are gone: what still arrives for it is dropped. */
    boolean closed;
    final byte[] midBytes;
    final int layerCount;
    /** Payload types of the source's media codecs (not RTX): only these may feed the source. */
    final boolean[] mediaPayloadTypes = new boolean[128];
    /** RTX payload type -> the media payload type it repairs, -1 for none. */
    final int[] rtxApt = new int[128];
    /** The codec of each media payload type: the end-to-end-encryption check and key-frame detection read it. */
    final CodecFamily[] codecs = new CodecFamily[128];
    /** The sender's ids of rid, repaired-rid, audio-level and transport-wide-cc, 0 when not negotiated. */
    final int ridExtensionId;
    final int repairedRidExtensionId;
    final int audioLevelExtensionId;
    final int transportCcExtensionId;
    final byte[][] ridBytes;
    /** The SSRC that last fed each layer (0 before any). */
    final int[] layerSsrc;
    /** At home: whether each layer was fed yet, and when last (its SSRC is replaced only after a silence). */
    private final boolean[] layerFed;
    private final long[] layerInputNanos;
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
        this(source, sender, null, keyFrameOptions, clampOptions);
    }

    /** A mirror of a source whose sender lives on another packet thread. */
    SourceRoute(Source source, PipeLink upstream, KeyFrameOptions keyFrameOptions, ClampOptions clampOptions) {
        this(source, null, upstream, keyFrameOptions, clampOptions);
    }

    private SourceRoute(Source source, EndpointMedia sender, PipeLink upstream, KeyFrameOptions keyFrameOptions,
            ClampOptions clampOptions) {
        this.source = source;
        this.sender = sender;
        this.upstream = upstream;
        this.midBytes = source.mid().getBytes(StandardCharsets.US_ASCII);
        this.layerCount = source.layerCount();
        Arrays.fill(rtxApt, -1);
        source.codecs().forEach((pt, codec) -> {
            if (pt >= 0 && pt < 128) {
                mediaPayloadTypes[pt] = true;
                codecs[pt] = codec.family();
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
        this.layerFed = new boolean[layerCount];
        this.layerInputNanos = new long[layerCount];
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

    /**
     * Whether a media packet of {@code in} feeds this source now: each layer (a single-layer m-line's one) is fed by
     * one SSRC at a time, and another takes over only after {@link #INPUT_SILENCE_BEFORE_SWITCH_NS} of silence on that
     * layer (a sender restart, with new SSRCs).
     */
    boolean admitInput(IncomingStream in, long now) {
        int ssrc = in.ssrc;
        int layer = in.layer;
        boolean replaced = layerFed[layer] && layerSsrc[layer] != ssrc;
        if (replaced && now - layerInputNanos[layer] < INPUT_SILENCE_BEFORE_SWITCH_NS) return false;
        if (layerCount == 1) currentInputSsrc = ssrc;
        hasInput = true;
        lastInputNanos = now;
        layerFed[layer] = true;
        layerInputNanos[layer] = now;
        layerSsrc[layer] = ssrc;
        return true;
    }

    /** The SSRC feeding {@code layer} at home, or {@code none} before any. */
    int inputOf(int layer, int none) {
        return layerFed[layer] ? layerSsrc[layer] : none;
    }

    /**
     * Forwards the decrypted media packet in {@code rx} (admitted, RTX already restored) to every subscriber: measured
     * for speaker detection (audio), checked for a key-frame start (layer switches), kept once for NACKs (video).
     */
    void forward(byte[] rx, int len, IncomingStream in, int transportCcAt, long now, PacketIo io, WorkerStats stats) {
        int pt = RtpPacket.payloadType(rx, 0);
        if (audioLevelExtensionId > 0 && sender != null) {
            int raw = HeaderExtensions.audioLevel(rx, 0, len, audioLevelExtensionId);
            if (raw >= 0) sender.addAudioLevel(HeaderExtensions.level(raw));
        }
        boolean keyFrameStart = layerCount > 1 && codecs[pt] != null && codecs[pt].isKeyFrameStart(rx,
                RtpPacket.payloadOffset(rx, 0), RtpPacket.payloadLength(rx, 0, len));
        // Only what someone here received can be NACKed: an unwatched stream's cache stays at its initial size.
        if (in.cache != null && subscribers.length > 0) in.cache.put(rx, 0, len, now);
        for (OutgoingStream out : subscribers) {
            out.forward(rx, len, in, keyFrameStart, transportCcAt, now, io, stats);
        }
        for (PipeOut pipe : pipes) pipe.sendMedia(rx, len, in.layer, transportCcAt, stats);
    }

    /** Whether anyone, here or on another thread, receives this source. */
    boolean hasViewers() {
        return subscribers.length > 0 || pipes.length > 0;
    }

    /** A mirror: a packet of the source as its home thread decrypted and admitted it. */
    void acceptPiped(byte[] b, int len, int layer, int transportCcAt, long now, PacketIo io, WorkerStats stats) {
        if (layer < 0 || layer >= layerCount) return;
        IncomingStream in = mirrorInput(RtpPacket.ssrc(b, 0), layer);
        if (in == null) return;
        in.packets++;
        in.bytes += len;
        in.lastPacketNanos = now;
        hasInput = true;
        lastInputNanos = now;
        currentInputSsrc = in.ssrc;
        layerSsrc[layer] = in.ssrc;
        forward(b, len, in, transportCcAt, now, io, stats);
    }

    private IncomingStream mirrorInput(int ssrc, int layer) {
        for (IncomingStream in : mirrorInputs) {
            if (in.ssrc == ssrc) return in;
        }
        // Home admits one SSRC per layer at a time, in the pipe's order: a new one replaced the layer's old one.
        IncomingStream[] kept = Arrays.stream(mirrorInputs).filter(s -> s.layer != layer)
                .toArray(IncomingStream[]::new);
        if (kept.length >= RtpIngress.MAX_INCOMING_STREAMS) return null;
        // Video is kept here once more for this thread's viewers' NACKs (the home cache is another thread's).
        IncomingStream in = new IncomingStream(ssrc, this, new org.conclave.sfu.rtp.ReceiveStatistics(ssrc,
                source.clockRate(), 1), layer, null, null, source.kind() == MediaKind.VIDEO
                ? new org.conclave.sfu.repair.PacketCache(org.conclave.sfu.repair.NackOptions.DEFAULTS) : null);
        mirrorInputs = Arrays.copyOf(kept, kept.length + 1);
        mirrorInputs[kept.length] = in;
        return in;
    }

    void addPipe(PipeOut pipe) {
        for (PipeOut p : pipes) {
            if (p.mirror() == pipe.mirror()) return;
        }
        pipes = Arrays.copyOf(pipes, pipes.length + 1);
        pipes[pipes.length - 1] = pipe;
    }

    void removePipe(SourceRoute mirror) {
        PipeOut[] next = Arrays.stream(pipes).filter(p -> p.mirror() != mirror).toArray(PipeOut[]::new);
        if (next.length != pipes.length && clamp != null) clamp.setExternalLimit(mirror.upstream.threadIndex, -1);
        pipes = next.length == 0 ? NO_PIPES : next;
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
