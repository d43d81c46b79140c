package org.conclave.sfu.sctp;

import org.conclave.sfu.sctp.dcep.ChannelType;
import org.conclave.sfu.sctp.dcep.DcepFormatException;
import org.conclave.sfu.sctp.dcep.DcepMessage;
import org.conclave.sfu.sctp.dcep.Ppid;

/**
 * The data channels of one association, by stream id: DCEP opening in both directions (RFC 8832), PPID handling of
 * user messages (RFC 8831 §6.6) and closing by stream reset in both directions (RFC 8831 §6.7).
 */
final class Channels {
    private final SctpAssociation association;
    private final AssociationListener listener;
    private final boolean oddIds;
    private final DataChannel[] byStream = new DataChannel[SctpAssociation.MAX_STREAMS];
    private int count;
    private long rejectedMessages;

    Channels(SctpAssociation association, AssociationListener listener, boolean oddIds) {
        this.association = association;
        this.listener = listener;
        this.oddIds = oddIds;
    }

    int count() {
        return count;
    }

    /** Messages dropped: malformed DCEP, deprecated or unknown PPIDs, no channel on the stream. */
    long rejectedMessages() {
        return rejectedMessages;
    }

    DataChannel get(int sid) {
        return sid < byStream.length ? byStream[sid] : null;
    }

    /**
     * Opens a channel on the highest free stream id of our parity below {@code streamLimit}; null if none is free.
     * Top-down because a peer that gets the parity rule wrong (aiortc 1.4) allocates bottom-up: no collision then.
     */
    DataChannel open(String label, ChannelOptions options, int streamLimit) {
        int parity = oddIds ? 1 : 0;
        int sid = (streamLimit - 1) - (((streamLimit - 1) & 1) ^ parity);
        while (sid >= 0 && byStream[sid] != null) sid -= 2;
        if (sid < 0) return null;
        DataChannel ch = new DataChannel(this, sid, label, options.protocol(), options.channelType(),
                options.reliabilityParameter(), options.priority(), true);
        DcepMessage.Open open = new DcepMessage.Open(ch.type(), ch.priority(), options.reliabilityParameter(), label,
                options.protocol());
        byte[] encoded = open.encode();
        add(ch);
        association.sendDcep(sid, encoded);
        return ch;
    }

    /** A whole message arrived on stream {@code sid}. */
    void onMessage(int sid, int ppid, byte[] data) {
        DataChannel ch = byStream[sid];
        switch (ppid) {
            case Ppid.DCEP -> onDcep(sid, ch, data);
            case Ppid.STRING, Ppid.BINARY, Ppid.STRING_EMPTY, Ppid.BINARY_EMPTY -> {
                if (ch == null || ch.state == DataChannel.State.CLOSED || ch.incomingReset) {
                    rejectedMessages++;
                    return;
                }
                acknowledged(ch); // any message implies the ACK (RFC 8832 §6)
                boolean empty = ppid == Ppid.STRING_EMPTY || ppid == Ppid.BINARY_EMPTY;
                listener.onMessage(ch, empty ? new byte[0] : data, ppid == Ppid.BINARY || ppid == Ppid.BINARY_EMPTY);
            }
            default -> rejectedMessages++; // 52/54 (deprecated partial messages) and unknown PPIDs
        }
    }

    private void onDcep(int sid, DataChannel ch, byte[] data) {
        DcepMessage m;
        try {
            m = DcepMessage.parse(data, 0, data.length);
        } catch (DcepFormatException e) {
            rejectedMessages++;
            return;
        }
        if (m instanceof DcepMessage.Open open) {
            // RFC 8832 §6 gives the peer the other parity, but aiortc 1.4 picks by ICE role and, as the controlling
            // DTLS client, opens odd ids like us: accept any free stream; ours are allocated around it
            if (ch != null || !association.canSendOn(sid)) {
                rejectedMessages++;
                return;
            }
            DataChannel opened = new DataChannel(this, sid, open.label(), open.protocol(), open.channelType(),
                    open.reliabilityParameter(), open.priority(), false);
            add(opened);
            association.sendDcep(sid, new DcepMessage.Ack().encode());
            listener.onChannelOpen(opened);
        } else if (ch != null && ch.openedLocally()) {
            acknowledged(ch);
        } else {
            rejectedMessages++;
        }
    }

    private void acknowledged(DataChannel ch) {
        if (ch.state != DataChannel.State.CONNECTING) return;
        ch.state = DataChannel.State.OPEN;
        listener.onChannelOpen(ch);
    }

    boolean send(DataChannel ch, byte[] data, boolean binary) {
        if (ch.state != DataChannel.State.OPEN && ch.state != DataChannel.State.CONNECTING) return false;
        if (byStream[ch.id()] != ch) return false;
        int ppid;
        if (data.length == 0) {
            ppid = binary ? Ppid.BINARY_EMPTY : Ppid.STRING_EMPTY;
            data = new byte[1];
        } else {
            ppid = binary ? Ppid.BINARY : Ppid.STRING;
        }
        boolean unordered = !ch.ordered() && ch.state == DataChannel.State.OPEN;
        ChannelType.Reliability r = ch.type().reliability();
        int maxRetransmits = r == ChannelType.Reliability.MAX_RETRANSMITS ? ch.maxRetransmits()
                : OutgoingMessage.UNLIMITED;
        long lifetimeMillis = r == ChannelType.Reliability.MAX_LIFETIME ? ch.maxLifetimeMillis() : -1;
        return association.sendUser(ch.id(), ppid, data, unordered, maxRetransmits, lifetimeMillis);
    }

    void close(DataChannel ch) {
        if (ch.state == DataChannel.State.CLOSING || ch.state == DataChannel.State.CLOSED) return;
        ch.state = DataChannel.State.CLOSING;
        if (!association.resetOutgoing(ch.id())) { // no RE-CONFIG with this peer: nothing more to wait for
            ch.outgoingReset = true;
            ch.incomingReset = true;
            finish(ch);
        }
    }

    /** The peer reset its outgoing stream {@code sid}: close our direction too (RFC 8831 §6.7). */
    void onIncomingReset(int sid) {
        DataChannel ch = byStream[sid];
        if (ch == null) return;
        ch.incomingReset = true;
        if (ch.state != DataChannel.State.CLOSING) {
            ch.state = DataChannel.State.CLOSING;
            if (!association.resetOutgoing(sid)) ch.outgoingReset = true; // e.g. shutting down: nothing to wait for
        }
        finish(ch);
    }

    /** Our outgoing reset of {@code sid} finished (performed or refused: either way we stop using it). */
    void onOutgoingReset(int sid) {
        DataChannel ch = byStream[sid];
        if (ch == null) return;
        ch.outgoingReset = true;
        finish(ch);
    }

    /** The association is gone: every channel is closed. */
    void closeAll() {
        for (int sid = 0; sid < byStream.length; sid++) {
            DataChannel ch = byStream[sid];
            if (ch == null) continue;
            ch.outgoingReset = true;
            ch.incomingReset = true;
            finish(ch);
        }
    }

    private void add(DataChannel ch) {
        byStream[ch.id()] = ch;
        count++;
    }

    private void finish(DataChannel ch) {
        if (!ch.incomingReset || !ch.outgoingReset || ch.state == DataChannel.State.CLOSED) return;
        ch.state = DataChannel.State.CLOSED;
        byStream[ch.id()] = null;
        count--;
        listener.onChannelClosed(ch);
    }
}
