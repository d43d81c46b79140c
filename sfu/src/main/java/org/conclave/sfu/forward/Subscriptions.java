package org.conclave.sfu.forward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.conclave.sfu.bwe.ArrivalRecorder;
import org.conclave.sfu.bwe.LayerSelector;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.keyframe.KeyFrameBudget;
import org.conclave.sfu.rtp.ExtensionUri;
import org.conclave.sfu.rtp.SeqTsRewriter;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * Who sends what to whom on one packet thread: an endpoint's sources (its accepted upstream m-lines), the streams
 * each receiver gets of them and at which quality. Changes come from the control thread as tasks; they run here
 * between packets, so the packet path reads plain arrays that are replaced, never changed in place.
 */
final class Subscriptions {
    private final EndpointTable endpoints;
    private final RateControlConfig rates;
    private final KeyFrameRelay keyFrames;
    private final E2eeEnforcement e2ee;
    private final MediaWorker.Listener listener;
    private final Pipes pipes;

    Subscriptions(EndpointTable endpoints, RateControlConfig rates, KeyFrameRelay keyFrames, E2eeEnforcement e2ee,
            MediaWorker.Listener listener, Pipes pipes) {
        this.pipes = pipes;
        this.endpoints = endpoints;
        this.rates = rates;
        this.keyFrames = keyFrames;
        this.e2ee = e2ee;
        this.listener = listener;
    }

    /** What an endpoint publishes now; sources that went away stop reaching their subscribers. */
    void setUpstream(EndpointMedia ep, Iterable<Source> sources, int midExtensionId, long now) {
        List<SourceRoute> routes = new ArrayList<>();
        for (Source s : sources) {
            SourceRoute existing = ep.routeByMid(s.mid());
            routes.add(existing != null && existing.source == s ? existing
                    : new SourceRoute(s, ep, rates.keyFrames(), rates.clamp()));
        }
        for (SourceRoute old : ep.routes) {
            if (!routes.contains(old)) {
                for (OutgoingStream out : old.subscribers) removeOutgoing(out.receiver, old);
                closePipes(old);
                ep.removeIncoming(old);
                forgetContexts(old.source);
            }
        }
        ep.routes = routes.toArray(new SourceRoute[0]);
        ep.midExtensionId = midExtensionId;
        e2ee.renegotiated(ep);
        ep.transportCcExtensionId = 0;
        for (SourceRoute r : ep.routes) {
            if (r.transportCcExtensionId > 0) ep.transportCcExtensionId = r.transportCcExtensionId;
        }
        if (ep.transportCcExtensionId > 0 && ep.arrivals == null) ep.arrivals = new ArrivalRecorder(now);
    }

    /** Starts sending {@code source} (whose sender is on this thread) to {@code receiver}. */
    void subscribe(EndpointMedia receiver, Source source, Downlink downlink, VideoQuality wanted, long now) {
        EndpointMedia sender = endpoints.get(source.endpointId());
        if (sender == null || receiver == sender) return;
        SourceRoute route = sender.routeByMid(source.mid());
        if (route == null || route.source != source) return;
        subscribe(receiver, route, downlink, wanted, now);
    }

    /**
     * Starts sending a source to {@code receiver}, with what was negotiated on its m-line for it; {@code route} is the
     * source's own (sender on this thread) or this thread's mirror of it.
     */
    void subscribe(EndpointMedia receiver, SourceRoute route, Downlink downlink, VideoQuality wanted, long now) {
        Source source = route.source;
        if (receiver.outgoingBySsrc((int) source.outSsrc()) != null) return;
        boolean video = source.kind() == MediaKind.VIDEO;
        Integer twcc = downlink.extensionIds().get(ExtensionUri.TRANSPORT_WIDE_CC.uri());
        SentLog sent = video && downlink.nack() ? new SentLog(rates.nack().cachePackets(),
                rates.nack().cacheMaxAgeMillis() * 1_000_000) : null;
        LayerSelector selector = video && route.layerCount > 1 ? new LayerSelector(rates.layers(), route.layerCount) : null;
        OutgoingStream out = new OutgoingStream(receiver, route, DownlinkMaps.payloadTypes(source, downlink),
                DownlinkMaps.rtxPayloadTypes(downlink), DownlinkMaps.extensionIds(source, downlink),
                twcc == null ? 0 : twcc, new SeqTsRewriter(), new KeyFrameBudget(rates.keyFrames()), selector, sent);
        OutgoingStream[] next = Arrays.copyOf(receiver.outgoing, receiver.outgoing.length + 1);
        next[next.length - 1] = out;
        receiver.outgoing = next;
        route.addSubscriber(out);
        applyQuality(out, wanted);
        if (selector != null) {
            for (int layer = 0; layer < route.layerCount; layer++) {
                selector.setLayerBitrate(layer, route.layerBitrateBps[layer]);
            }
        } else {
            // A new viewer cannot decode before a key frame (a layered one asks for its target layer when polled).
            keyFrames.request(route, 0, now);
        }
    }

    void unsubscribe(EndpointMedia receiver, Source source) {
        OutgoingStream out = receiver.outgoingBySsrc((int) source.outSsrc());
        if (out != null && out.route.source == source) removeOutgoing(receiver, out.route);
    }

    /** A mirror's source went away at home: its viewers here stop getting it. */
    void dropViewers(SourceRoute mirror) {
        for (OutgoingStream out : mirror.subscribers) removeOutgoing(out.receiver, mirror);
    }

    /**
     * A source is gone for good (a new one always gets fresh SSRCs): every receiver here forgets the SRTP contexts of
     * its SSRCs, or a stayer of a long call would run out of them ({@link SrtpSession#MAX_OUTBOUND_STREAMS}). Also
     * receivers that unsubscribed earlier: their contexts were kept for a re-subscription, whose rollover counter
     * must go on.
     */
    void forgetContexts(Source gone) {
        int ssrc = (int) gone.outSsrc();
        int rtxSsrc = (int) gone.rtxOutSsrc();
        for (EndpointMedia receiver : endpoints.all()) {
            if (receiver.srtp == null) continue;
            receiver.srtp.forgetOutbound(ssrc);
            if (rtxSsrc != 0) receiver.srtp.forgetOutbound(rtxSsrc);
        }
    }

    /**
     * The source went away for good: the pipes' far ends are told (their mirrors drop their viewers), and every thread
     * this one ever piped to forgets its SRTP contexts, also where the mirror was already released.
     */
    private void closePipes(SourceRoute route) {
        for (PipeOut pipe : route.pipes) {
            SourceRoute mirror = pipe.mirror();
            PacketThread there = pipe.ring().consumer;
            there.execute(() -> there.path.pipes.closeMirror(mirror, there.path.subscriptions));
        }
        route.pipes = new PipeOut[0];
        Source gone = route.source;
        for (PipeRing ring : pipes.outbound()) {
            PacketThread there = ring.consumer;
            there.execute(() -> there.path.subscriptions.forgetContexts(gone));
        }
    }

    /** What the receiver wants of a video source; a change of what a simulcast receiver gets is reported. */
    void setVideoQuality(EndpointMedia receiver, Source source, VideoQuality quality, String reason) {
        OutgoingStream out = receiver.outgoingBySsrc((int) source.outSsrc());
        if (out == null || out.route.source != source) return;
        VideoQuality before = out.effectiveQuality();
        applyQuality(out, quality);
        if (out.route.layerCount > 1 && out.effectiveQuality() != before) {
            listener.onLayerChanged(receiver.id, source, out.effectiveQuality(), reason);
        }
    }

    /** Waiting room: a held endpoint's media goes nowhere and it receives none; released, everyone needs key frames. */
    void setHeld(EndpointMedia ep, boolean held, long now) {
        if (ep.held == held) return;
        ep.held = held;
        if (held) return;
        keyFrames.requestForReceiver(ep, now);
        for (SourceRoute r : ep.routes) keyFrames.requestForViewers(r, now);
    }

    /** Keys installed: its viewers and its own subscriptions need key frames now that media can be decrypted. */
    void keysReady(EndpointMedia ep, long now) {
        for (SourceRoute r : ep.routes) keyFrames.requestForViewers(r, now);
        keyFrames.requestForReceiver(ep, now);
    }

    /** An endpoint left: its sources stop reaching anyone, and it receives nothing more. */
    void removeAll(EndpointMedia ep) {
        OutgoingStream[] was = ep.outgoing;
        ep.outgoing = new OutgoingStream[0];
        for (OutgoingStream out : was) {
            out.route.removeSubscriber(ep);
            pipes.releaseIfUnused(out.route);
        }
        for (SourceRoute r : ep.routes) {
            for (OutgoingStream out : r.subscribers) removeOutgoing(out.receiver, r);
            closePipes(r);
            forgetContexts(r.source);
        }
    }

    /** Subscription and clamp membership follow what the receiver wants; the selector follows the result. */
    private static void applyQuality(OutgoingStream out, VideoQuality wanted) {
        out.wanted = wanted;
        SourceRoute route = out.route;
        if (route.clamp != null) {
            if (route.layerCount == 1 || wanted == VideoQuality.FULL_RES) {
                route.clamp.addViewer(out);
            } else {
                route.clamp.removeViewer(out);
                out.demoted = false;
            }
        }
        if (out.selector != null) out.selector.setQuality(out.effectiveQuality());
    }

    private void removeOutgoing(EndpointMedia receiver, SourceRoute route) {
        route.removeSubscriber(receiver);
        receiver.outgoing = Arrays.stream(receiver.outgoing).filter(o -> o.route != route)
                .toArray(OutgoingStream[]::new);
        pipes.releaseIfUnused(route);
    }
}
