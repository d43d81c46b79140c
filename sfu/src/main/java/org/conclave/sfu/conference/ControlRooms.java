package org.conclave.sfu.conference;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.conclave.sfu.datachannel.ControlChannel;
import org.conclave.sfu.datachannel.ControlMessageHandler;
import org.conclave.sfu.room.ErrorCode;
import org.conclave.sfu.room.KeepAlive;
import org.conclave.sfu.room.RateLimitReply;
import org.conclave.sfu.room.RoomOutbox;

/**
 * Connects the data channels to the conference rooms: clients' text messages (SCTP thread) go to their room on the
 * control thread, and what a room sends goes back on the endpoint's channel. A reply goes on the channel the request
 * came on (so a ping on an unreliable channel is answered there); everything else on the first channel the endpoint
 * opened. Messages for an endpoint whose channel is not open yet (the roster sent on join) wait, a bounded number.
 * The SFU's keep-alive pings ({@link KeepAlive}) go on that first channel too; anything the client sends answers them.
 */
final class ControlRooms implements ControlMessageHandler, RoomOutbox {
    /** Messages kept for an endpoint before its data channel opens; older ones go first. */
    static final int MAX_PENDING = 256;

    /** The endpoints as the data channels need them (control thread). */
    interface Members {
        boolean has(String endpointId);

        /** A text message for the endpoint's room. */
        void onMessage(String endpointId, String text);

        /** The endpoint's first data channel opened (what waited for it went out just before). */
        void channelOpened(String endpointId);

        /** The endpoint answered no keep-alive ping in time. */
        void keepAliveExpired(String endpointId, String detail);
    }

    private final ControlThread control;
    private final KeepAlive keepAlive;
    private final Members members;
    // Control thread only.
    private final Map<String, ControlChannel> primary = new HashMap<>();
    private final Map<String, ArrayDeque<String>> pending = new HashMap<>();
    private ControlChannel replyTo;
    private long droppedPending;
    private final LongAdder refused = new LongAdder();

    ControlRooms(ControlThread control, KeepAlive keepAlive, Members members) {
        this.control = control;
        this.keepAlive = keepAlive;
        this.members = members;
    }

    // ---------------------------------------------------------------- from the SCTP thread

    @Override
    public void onOpen(ControlChannel channel) {
        control.postForEndpoint(channel.endpointId(), () -> {
            if (!members.has(channel.endpointId())) return;
            if (primary.putIfAbsent(channel.endpointId(), channel) == null) {
                ArrayDeque<String> waiting = pending.remove(channel.endpointId());
                if (waiting != null) waiting.forEach(channel::send);
                keepAlive.opened(channel.endpointId());
                members.channelOpened(channel.endpointId());
            }
        });
    }

    @Override
    public void onText(ControlChannel channel, String text) {
        control.postForEndpoint(channel.endpointId(), () -> {
            if (!members.has(channel.endpointId())) return;
            if (primary.putIfAbsent(channel.endpointId(), channel) == null) {
                keepAlive.opened(channel.endpointId());
                members.channelOpened(channel.endpointId());
            }
            keepAlive.heard(channel.endpointId());
            replyTo = channel;
            try {
                members.onMessage(channel.endpointId(), text);
            } finally {
                replyTo = null;
            }
        });
    }

    /** Control thread (from the rooms). */
    @Override
    public void refused(String endpointId, ErrorCode code) {
        refused.increment();
    }

    /** Clients' control messages the rooms refused unread (M_TOO_LARGE, M_BAD_JSON, unknown types); any thread. */
    long refusedMessages() {
        return refused.sum();
    }

    /** SCTP thread; at most once a second per endpoint, straight back on the channel the flood came on. */
    @Override
    public void onRateLimited(ControlChannel channel, int messagesPerSecond) {
        channel.send(RateLimitReply.tooManyMessages(messagesPerSecond));
    }

    @Override
    public void onClosed(String endpointId) {
        control.postForEndpoint(endpointId, () -> {
            primary.remove(endpointId);
            keepAlive.forget(endpointId);
        });
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

    /** Sends the pings due and reports the endpoints whose time is up (control thread, every tick). */
    void tick() {
        KeepAlive.Due due = keepAlive.poll();
        for (String id : due.ping()) {
            ControlChannel channel = primary.get(id);
            if (channel != null) channel.send(KeepAlive.ping());
        }
        for (String id : due.expired()) members.keepAliveExpired(id, keepAlive.describeTimeout());
    }

    /** The endpoint is gone: forget its channel, its keep-alive and what waited for it. */
    void forget(String endpointId) {
        primary.remove(endpointId);
        pending.remove(endpointId);
        keepAlive.forget(endpointId);
    }

    long droppedPending() {
        return droppedPending;
    }
}
