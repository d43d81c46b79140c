package org.conclave.sfu.conference;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.conclave.sfu.datachannel.ControlChannel;
import org.conclave.sfu.datachannel.ControlMessageHandler;
import org.conclave.sfu.room.RateLimitReply;
import org.conclave.sfu.room.RoomOutbox;

/**
 * Connects the data channels to the conference rooms: clients' text messages (SCTP thread) go to their room on the
 * control thread, and what a room sends goes back on the endpoint's channel. A reply goes on the channel the request
 * came on (so a ping on an unreliable channel is answered there); everything else on the first channel the endpoint
 * opened. Messages for an endpoint whose channel is not open yet (the roster sent on join) wait, a bounded number.
 */
final class ControlRooms implements ControlMessageHandler, RoomOutbox {
    /** Messages kept for an endpoint before its data channel opens; older ones go first. */
    static final int MAX_PENDING = 256;

    private final ConferenceService service;
    // Control thread only.
    private final Map<String, ControlChannel> primary = new HashMap<>();
    private final Map<String, ArrayDeque<String>> pending = new HashMap<>();
    private ControlChannel replyTo;
    private long droppedPending;

    ControlRooms(ConferenceService service) {
        this.service = service;
    }

    // ---------------------------------------------------------------- from the SCTP thread

    @Override
    public void onOpen(ControlChannel channel) {
        service.onControlThread(() -> {
            if (!service.hasEndpoint(channel.endpointId())) return;
            if (primary.putIfAbsent(channel.endpointId(), channel) == null) {
                ArrayDeque<String> waiting = pending.remove(channel.endpointId());
                if (waiting != null) waiting.forEach(channel::send);
            }
        });
    }

    @Override
    public void onText(ControlChannel channel, String text) {
        service.onControlThread(() -> {
            if (!service.hasEndpoint(channel.endpointId())) return;
            primary.putIfAbsent(channel.endpointId(), channel);
            replyTo = channel;
            try {
                service.onControlMessage(channel.endpointId(), text);
            } finally {
                replyTo = null;
            }
        });
    }

    /** SCTP thread; at most once a second per endpoint, straight back on the channel the flood came on. */
    @Override
    public void onRateLimited(ControlChannel channel, int messagesPerSecond) {
        channel.send(RateLimitReply.tooManyMessages(messagesPerSecond));
    }

    @Override
    public void onClosed(String endpointId) {
        service.onControlThread(() -> primary.remove(endpointId));
    }

    // ---------------------------------------------------------------- from the rooms (control thread)

    @Override
    public void send(String endpointId, String json) {
        if (replyTo != null && replyTo.endpointId().equals(endpointId)) {
            replyTo.send(json);
            return;
        }
        ControlChannel channel = primary.get(endpointId);
        if (channel != null) {
            channel.send(json);
            return;
        }
        ArrayDeque<String> queue = pending.computeIfAbsent(endpointId, k -> new ArrayDeque<>());
        if (queue.size() >= MAX_PENDING) {
            queue.pollFirst();
            droppedPending++;
        }
        queue.addLast(json);
    }

    /** The endpoint is gone: forget its channel and what waited for it. */
    void forget(String endpointId) {
        primary.remove(endpointId);
        pending.remove(endpointId);
    }

    long droppedPending() {
        return droppedPending;
    }
}
