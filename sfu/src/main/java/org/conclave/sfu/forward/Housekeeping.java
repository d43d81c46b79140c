package org.conclave.sfu.forward;

import java.util.HashMap;
import java.util.Map;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.ice.IceLiteAgent;

/**
 * The packet thread's timers, run between packets: every {@link #INTERVAL_NS} upstream NACKs, transport-cc feedback,
 * key-frame polls, probes, ICE consent and receiver reports; every {@link #RATE_INTERVAL_NS} receivers' estimates
 * shared and senders' clamps re-evaluated; layer bitrates and speakers' audio levels on their own periods; every
 * {@link #TRIM_INTERVAL_NS} the per-stream buffers that grew in a burst see whether they may shrink back.
 */
final class Housekeeping {
    /** Upstream NACKs and key-frame polls run this often (libwebrtc's NACK module ticks every 20 ms too). */
    static final long INTERVAL_NS = 20_000_000L;
    /** Receivers' bandwidth is re-allocated and senders' clamps re-evaluated this often. */
    static final long RATE_INTERVAL_NS = 100_000_000L;
    /** Layer bitrates are measured over windows this long. */
    static final long BITRATE_WINDOW_NS = 500_000_000L;
    /** Audio levels are reported for speaker detection this often. */
    static final long AUDIO_LEVEL_INTERVAL_NS = 200_000_000L;
    /** Transport-cc feedback to senders goes out this often (libwebrtc: 50-100 ms). */
    static final long TRANSPORT_FEEDBACK_INTERVAL_NS = 50_000_000L;

    /**
     * Packet caches, sent logs, send histories and upstream missing lists sample their use this often, and shrink at
     * the end of a window of several max ages ({@code ShrinkWindow}): often enough that a peak between samples is small
     * next to the 25% headroom a shrunk buffer keeps (a tenth of the default 1 s max age), rarely enough to cost
     * nothing per packet.
     */
    static final long TRIM_INTERVAL_NS = 100_000_000L;

    private final EndpointTable endpoints;
    private final RateControl rateControl;
    private final LossRepair lossRepair;
    private final KeyFrameRelay keyFrames;
    private final RtcpTermination rtcp;
    private final MediaWorker.Listener listener;
    private final Pipes pipes;
    private long next;
    private int rateRounds;
    private long nextRate;
    private long nextBitrate;
    private long lastBitrate;
    private long nextAudioLevel;
    private long nextTrim;

    Housekeeping(EndpointTable endpoints, RateControl rateControl, LossRepair lossRepair, KeyFrameRelay keyFrames,
            RtcpTermination rtcp, MediaWorker.Listener listener, Pipes pipes, long now) {
        this.pipes = pipes;
        this.endpoints = endpoints;
        this.rateControl = rateControl;
        this.lossRepair = lossRepair;
        this.keyFrames = keyFrames;
        this.rtcp = rtcp;
        this.listener = listener;
        this.next = now;
        this.lastBitrate = now;
        this.nextTrim = now;
    }

    /** When {@link #run} is due next (the loop sleeps at most until then). */
    long nextDue() {
        return next;
    }

    /** Runs what is due at {@code now}. */
    void run(long now) {
        if (now - next < 0) return;
        next = now + INTERVAL_NS;
        EndpointMedia[] all = endpoints.all();
        if (now - nextBitrate >= 0) {
            nextBitrate = now + BITRATE_WINDOW_NS;
            rateControl.measureBitrates(all, pipes.mirrors(), now - lastBitrate);
            lastBitrate = now;
        }
        if (now - nextRate >= 0) {
            nextRate = now + RATE_INTERVAL_NS;
            for (EndpointMedia ep : all) {
                if (!ep.failed) rateControl.allocate(ep, now);
            }
            // Other threads' viewers first, so a sender's clamp here sees their latest limit next round at the latest.
            boolean refresh = ++rateRounds % 10 == 0;
            for (SourceRoute mirror : pipes.mirrors()) rateControl.clampMirror(mirror, now, refresh);
            for (EndpointMedia ep : all) {
                if (!ep.failed) rateControl.clampSender(ep, now);
            }
        }
        for (SourceRoute mirror : pipes.mirrors()) keyFrames.poll(mirror, now);
        if (now - nextAudioLevel >= 0) {
            nextAudioLevel = now + AUDIO_LEVEL_INTERVAL_NS;
            reportAudioLevels(all);
        }
        for (EndpointMedia ep : all) {
            if (!ep.failed) tick(ep, now);
        }
        if (now - nextTrim >= 0) {
            nextTrim = now + TRIM_INTERVAL_NS;
            trimBuffers(all, now);
        }
    }

    /** Lets the buffers that grew in a burst shrink back (each at most once per window of several max ages). */
    private void trimBuffers(EndpointMedia[] all, long now) {
        for (EndpointMedia ep : all) {
            for (IncomingStream in : ep.incoming) {
                if (in.cache != null) in.cache.trim(now);
                if (in.loss != null) in.loss.trim(now);
            }
            for (OutgoingStream out : ep.outgoing) {
                if (out.sent != null) out.sent.trim(now);
            }
            if (ep.downlink.sendSide() != null) ep.downlink.sendSide().trim(now);
        }
        for (SourceRoute mirror : pipes.mirrors()) {
            for (IncomingStream in : mirror.mirrorInputs) {
                if (in.cache != null) in.cache.trim(now);
                if (in.loss != null) in.loss.trim(now);
            }
        }
    }

    private void tick(EndpointMedia ep, long now) {
        keyFrames.poll(ep, now);
        boolean reachable = ep.srtp != null && ep.sendAddress != null;
        if (reachable) lossRepair.nackUpstream(ep, now);
        if (reachable && ep.arrivals != null && now - ep.nextTransportFeedbackNanos >= 0 && ep.arrivals.hasNews()) {
            ep.nextTransportFeedbackNanos = now + TRANSPORT_FEEDBACK_INTERVAL_NS;
            rateControl.sendTransportFeedback(ep);
        }
        if (reachable && !ep.held) rateControl.probe(ep, now);
        IceLiteAgent.State state = ep.ice.state(now);
        if (state == IceLiteAgent.State.FAILED_TIMEOUT || state == IceLiteAgent.State.FAILED_CONSENT) {
            ep.failed = true;
            boolean timeout = state == IceLiteAgent.State.FAILED_TIMEOUT;
            listener.onIceFailed(ep.id, timeout ? FailureReason.ICE_TIMEOUT : FailureReason.ICE_CONSENT_EXPIRED,
                    timeout ? "no authenticated ICE connectivity check arrived from the client in time"
                            : "the client stopped answering ICE consent checks (RFC 7675)");
            return;
        }
        rtcp.maybeSendReceiverReport(ep, now);
    }

    private void reportAudioLevels(EndpointMedia[] all) {
        Map<String, Integer> levels = null;
        for (EndpointMedia ep : all) {
            if (ep.audioLevelCount == 0) continue;
            if (levels == null) levels = new HashMap<>();
            levels.put(ep.id, (int) (ep.audioLevelSum / ep.audioLevelCount));
            ep.audioLevelSum = 0;
            ep.audioLevelCount = 0;
        }
        if (levels != null) listener.onAudioLevels(levels);
    }
}
