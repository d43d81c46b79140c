package org.conclave.sfu.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.room.ControlMessage.*;

/**
 * The control protocol of one conference: who is in, waiting, muted, spotlighted, speaking, with a raised hand; the
 * data-channel messages that change it, checked against the sender's role; and the events that tell everyone.
 * No threads of its own: every method is called on the SFU's control thread. See docs/protocol.md.
 */
public final class Room {
    private final String conferenceId;
    private final RoomOptions options;
    private final NanoClock clock;
    private final RoomMedia media;
    private final RoomOutbox outbox;
    private final DataChannelNegotiation negotiation;
    private final ControlMessages parser;

    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final HandQueue hands = new HandQueue();
    private final SpeakerDetector speakers;
    private final VideoQualities qualities = new VideoQualities();
    private final Roster roster = new Roster();
    private final WaitingRoom lobby;
    private final Moderation moderation;
    private final Bulletin bulletin;

    public Room(String conferenceId, RoomOptions options, NanoClock clock, RoomMedia media, RoomOutbox outbox) {
        this(conferenceId, options, clock, media, outbox, NegotiationSink.UNAVAILABLE, Duration.ZERO);
    }

    /** @param connectGrace time to connect: a waiter whose channel never opened waits this longer ({@link WaitingRoom}) */
    public Room(String conferenceId, RoomOptions options, NanoClock clock, RoomMedia media, RoomOutbox outbox,
            NegotiationSink negotiation, Duration connectGrace) {
        this.conferenceId = Objects.requireNonNull(conferenceId, "conferenceId");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.media = Objects.requireNonNull(media, "media");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.negotiation = new DataChannelNegotiation(Objects.requireNonNull(negotiation, "negotiation"), outbox);
        this.parser = new ControlMessages(options);
        this.speakers = new SpeakerDetector(options);
        this.lobby = new WaitingRoom(options, connectGrace, media, outbox, this::enter, this::forget);
        this.moderation = new Moderation(media, outbox, this::forget);
        this.bulletin = new Bulletin(outbox, state());
    }

    // ---------------------------------------------------------------- calls from the SFU

    /** A new endpoint: hosts always enter; guests wait while the conference is locked. */
    public JoinResult join(String endpointId, String participantId, Role role) {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(role, "role");
        if (participants.containsKey(endpointId)) {
            throw new IllegalStateException("endpoint " + endpointId + " already joined conference " + conferenceId);
        }
        Participant p = new Participant(endpointId, participantId, role, clock.nanoTime());
        participants.put(endpointId, p);
        moderation.arrive(p);
        lobby.arrive(p);
        publish();
        return p.waiting ? JoinResult.WAITING : JoinResult.ADMITTED;
    }

    /** Tells the media which of the participant's video tracks are screen shares (from its stream metadata). */
    private void announcePurposes(Participant p) {
        for (RoomTrack t : p.tracks) {
            if (t.kind() == org.conclave.sfu.codec.MediaKind.VIDEO) {
                media.setScreenShare(p.endpointId, t.streamId(), t.trackId(), p.purpose(t) == Purpose.SCREENSHARE);
            }
        }
    }

    /** The endpoint is gone (hung up, failed, closed). Unknown ids are ignored. */
    public void leave(String endpointId) {
        Participant p = participants.get(endpointId);
        if (p == null) return;
        forget(p);
        publish();
    }

    /** The tracks the endpoint publishes now (after each negotiation). */
    public void setTracks(String endpointId, List<RoomTrack> tracks) {
        Participant p = participants.get(endpointId);
        if (p == null) return;
        List<TrackRef> gone = new ArrayList<>();
        for (RoomTrack t : p.tracks) gone.add(t.ref());
        p.tracks = List.copyOf(tracks);
        for (RoomTrack t : p.tracks) gone.remove(t.ref());
        for (Participant other : participants.values()) other.subscriptions.keySet().removeAll(gone);
        if (p.hasMetadata()) announcePurposes(p);
        publish();
    }

    /**
     * What the client says about its own streams ({@code sdp_stream_metadata} of its signalling, keyed by msid stream
     * id): replaces what it said before about the streams it names. Unknown endpoints are ignored.
     */
    public void setStreamMetadata(String endpointId, Map<String, StreamMetadata> streams) {
        Participant p = participants.get(endpointId);
        if (p == null) return;
        describe(p, streams);
        publish();
    }

    /**
     * One of the endpoint's streams as receivers see it: the client's purpose and mute state, audio muted also while a
     * host mutes it (the SFU drops its audio then), and the participant. Null for an unknown endpoint.
     */
    public StreamMetadata describeStream(String endpointId, String streamId) {
        Participant p = participants.get(endpointId);
        return p == null ? null : p.stream(streamId);
    }

    private void describe(Participant p, Map<String, StreamMetadata> streams) {
        if (!p.describe(streams, options.maxListItems())) return;
        announcePurposes(p);
        media.streamMetadataChanged(p.endpointId);
    }

    /** One text message from the endpoint's control data channel. */
    public void onMessage(String endpointId, String json) {
        Participant p = participants.get(endpointId);
        if (p == null) return;
        ControlMessage m;
        try {
            m = parser.parse(json);
        } catch (ControlMessageException e) {
            outbox.refused(endpointId, e.errcode());
            sendError(p, e.errcode(), e.getMessage(), e.requestType(), e.requestId());
            return;
        }
        if (p.waiting && !(m instanceof Ping || m instanceof Pong)) {
            sendError(p, ErrorCode.M_FORBIDDEN, "you are waiting for a host to let you in; until then only "
                    + "m.call.ping and m.call.pong are allowed (tried " + m.action() + ")", m.type(), m.requestId());
            return;
        }
        if (m.hostOnly() && !p.isHost()) {
            sendError(p, ErrorCode.M_FORBIDDEN, m.action() + " is a host action; you are a guest", m.type(),
                    m.requestId());
            return;
        }
        try {
            boolean replied = handle(p, m);
            if (!replied && m.requestId() != null && participants.get(endpointId) == p) {
                outbox.send(endpointId, ServerMessages.ok(m.type(), m.requestId()));
            }
        } catch (Refusal r) {
            sendError(p, r.code, r.getMessage(), m.type(), m.requestId());
        }
        publish();
    }

    /** RFC 6464 levels (0 loudest .. 127 silent) averaged over ~200 ms; endpoints not in the map are silent. */
    public void onAudioLevels(Map<String, Integer> levelByEndpoint) {
        long now = clock.nanoTime();
        speakers.levels(levelByEndpoint, now);
        speakers.evaluate(now, this::mayBeSpeaker);
        publish();
    }

    /**
     * The endpoint's media is refused as not end-to-end encrypted ({@code error}: what it is told), or forwarded
     * again ({@code null}); the roster shows it to everyone.
     */
    public void setMediaRefused(String endpointId, String error) {
        Participant p = participants.get(endpointId);
        if (p == null) return;
        p.mediaRefused = error != null;
        if (error != null) outbox.send(endpointId, ServerMessages.mediaRefused(error));
        publish();
    }

    /** Rate control moved the receiver's video of one track; the receiver is told. */
    public void onLayerChanged(String receiverEndpointId, String streamId, String trackId, VideoQuality quality,
            String reason) {
        Participant p = participants.get(receiverEndpointId);
        if (p == null || p.waiting) return;
        outbox.send(receiverEndpointId, ServerMessages.layerChanged(streamId, trackId, quality, reason));
    }

    /** The endpoint's control data channel opened: it hears the room from now (a waiter's wait counts from here). */
    public void channelOpened(String endpointId) {
        Participant p = participants.get(endpointId);
        if (p != null) lobby.channelOpened(p, clock.nanoTime());
    }

    /** Waiting-room timeouts, speaker hysteresis and speaking hangovers; call every 100-200 ms. */
    public void tick() {
        long now = clock.nanoTime();
        lobby.expire(participants.values(), now);
        speakers.evaluate(now, this::mayBeSpeaker);
        publish();
    }

    /** The next waiting-room timeout (nanoTime), or Long.MAX_VALUE; speaking state still wants the regular tick. */
    public long nextDeadlineNanos() {
        return lobby.nextDeadline(participants.values());
    }

    // ---------------------------------------------------------------- state, for the SFU and tests

    public String conferenceId() {
        return conferenceId;
    }

    public RoomState state() {
        return new RoomState(lobby.locked(), moderation.guestsMuted(), moderation.focus(), moderation.spotlightOrder());
    }

    /** Every participant as a host sees it, in join order. */
    public List<RosterEntry> roster() {
        return roster(clock.nanoTime());
    }

    /** Endpoint ids with raised hands, first raised first. */
    public List<String> handQueue() {
        return hands.order();
    }

    public String dominantSpeaker() {
        return speakers.dominant();
    }

    public boolean isEmpty() {
        return participants.isEmpty();
    }

    // ---------------------------------------------------------------- commands

    /** Acts on one authorized message; returns whether it already replied (else a request_id gets an ok). */
    private boolean handle(Participant p, ControlMessage m) {
        if (m instanceof Ping ping) {
            outbox.send(p.endpointId, ServerMessages.pong(ping.content()));
            return true;
        } else if (m instanceof Pong) {
            return true; // the keep-alive (ControlRooms) already heard it
        } else if (m instanceof TrackSubscription s) {
            subscribe(p, s);
        } else if (m instanceof Negotiate n) {
            negotiation.handle(p.endpointId, n, () -> participants.get(p.endpointId) == p);
            return true;
        } else if (m instanceof StreamMetadataChanged s) {
            Map<String, StreamMetadata> streams = new LinkedHashMap<>();
            s.streams().forEach((stream, info) -> streams.put(stream, info.own()));
            describe(p, streams);
        } else if (m instanceof Speaking s) {
            speakers.claim(p.endpointId, s.speaking(), clock.nanoTime());
            speakers.evaluate(clock.nanoTime(), this::mayBeSpeaker);
        } else if (m instanceof RaiseHand) {
            hands.raise(p.endpointId);
        } else if (m instanceof LowerHand l) {
            Participant target = l.endpointId() == null ? p : target(l.endpointId(), "lower the hand of");
            if (target != p && !p.isHost()) {
                throw new Refusal(ErrorCode.M_FORBIDDEN, "lowering someone else's hand is a host action; you are a guest");
            }
            hands.lower(target.endpointId);
        } else if (m instanceof RosterFilterMessage f) {
            roster.setFilter(p.endpointId, new RosterFilter(f.criteria(), f.name()), f.requestId());
            return true;
        } else {
            hostCommand(p, m);
        }
        return false;
    }

    /** The commands only hosts may give (authorized before). */
    private void hostCommand(Participant p, ControlMessage m) {
        if (m instanceof LowerAllHands) {
            hands.lowerAll();
        } else if (m instanceof Lock) {
            lobby.lock();
        } else if (m instanceof Unlock) {
            lobby.unlock(participants.values());
        } else if (m instanceof Admit a) {
            lobby.admit(target(a.endpointId(), "admit"));
        } else if (m instanceof Reject r) {
            lobby.reject(target(r.endpointId(), "reject"), r.reason());
        } else if (m instanceof Mute x) {
            moderation.setMuted(target(x.endpointId(), "mute"), true, p);
        } else if (m instanceof Unmute x) {
            moderation.setMuted(target(x.endpointId(), "unmute"), false, p);
        } else if (m instanceof MuteGuests) {
            moderation.setGuestsMuted(participants.values(), true, p);
        } else if (m instanceof UnmuteGuests) {
            moderation.setGuestsMuted(participants.values(), false, p);
        } else if (m instanceof Spotlight s) {
            moderation.spotlight(target(s.endpointId(), "spotlight"));
        } else if (m instanceof Unspotlight s) {
            moderation.unspotlight(target(s.endpointId(), "unspotlight"));
        } else if (m instanceof Disconnect d) {
            moderation.disconnect(target(d.endpointId(), "disconnect"), d.reason(), p);
        } else if (m instanceof DisconnectAll d) {
            moderation.disconnectAll(participants.values(), d.reason(), p);
        } else if (m instanceof SetFocus f) {
            moderation.focusOn(f.endpointId() == null ? null : target(f.endpointId(), "focus on"));
        }
    }

    private void subscribe(Participant p, TrackSubscription s) {
        // Check everything first: a refused message changes nothing.
        for (ControlMessage.Subscribe sub : s.subscribe()) {
            TrackRef ref = new TrackRef(sub.streamId(), sub.trackId());
            if (p.track(ref) != null) {
                throw new Refusal(ErrorCode.M_INVALID_PARAM, "track " + sub.streamId() + "/" + sub.trackId()
                        + " is your own; you do not receive it");
            }
            if (publisher(ref) == null) {
                throw new Refusal(ErrorCode.M_NOT_FOUND, "nobody in this conference publishes track "
                        + sub.streamId() + "/" + sub.trackId());
            }
        }
        for (ControlMessage.Subscribe sub : s.subscribe()) {
            boolean large = sub.width() > options.thumbnailMaxWidth() || sub.height() > options.thumbnailMaxHeight();
            p.subscriptions.put(new TrackRef(sub.streamId(), sub.trackId()),
                    large ? VideoQuality.FULL_RES : VideoQuality.THUMBNAIL);
        }
        for (ControlMessage.TrackRefMessage u : s.unsubscribe()) {
            // The SFU keeps sending the thumbnail: unsubscribing only drops the request for more.
            p.subscriptions.remove(new TrackRef(u.streamId(), u.trackId()));
        }
    }

    /** An admitted participant starts getting the roster and conference events. */
    private void enter(Participant p) {
        roster.subscribe(p.endpointId, p.isHost());
        bulletin.welcome(p.endpointId);
    }

    /** Removes every trace of the participant (the media path is told separately, if at all). */
    private void forget(Participant p) {
        participants.remove(p.endpointId);
        hands.lower(p.endpointId);
        moderation.remove(p.endpointId);
        speakers.remove(p.endpointId);
        roster.remove(p.endpointId);
        bulletin.forget(p.endpointId);
        List<TrackRef> gone = new ArrayList<>();
        for (RoomTrack t : p.tracks) gone.add(t.ref());
        for (Participant other : participants.values()) other.subscriptions.keySet().removeAll(gone);
    }

    private Participant target(String endpointId, String action) {
        Participant t = participants.get(endpointId);
        if (t == null) {
            throw new Refusal(ErrorCode.M_NOT_FOUND, "cannot " + action + " " + endpointId
                    + ": no such participant in this conference");
        }
        return t;
    }

    private Participant publisher(TrackRef ref) {
        for (Participant s : participants.values()) {
            if (!s.waiting && s.track(ref) != null) return s;
        }
        return null;
    }

    private boolean mayBeSpeaker(String endpointId) {
        Participant p = participants.get(endpointId);
        return p != null && !p.waiting && !p.muted;
    }

    // ---------------------------------------------------------------- telling everyone

    /** Sends whatever changed since the last call: welcomes, roster deltas, room state, hands, dominant speaker. */
    private void publish() {
        List<Participant> newcomers = bulletin.newcomers(participants);
        RoomState state = state();
        List<String> queue = hands.order();
        String dominant = speakers.dominant();
        bulletin.welcomeNewcomers(newcomers, state);
        qualities.apply(participants.values(), moderation.spotlight(), media);
        roster.publish(roster(clock.nanoTime()), outbox);
        bulletin.tellChanges(newcomers, participants.values(), participants, state, queue, dominant);
    }

    private List<RosterEntry> roster(long now) {
        List<RosterEntry> out = new ArrayList<>(participants.size());
        Map<String, Integer> handPositions = hands.positions();
        for (Participant p : participants.values()) out.add(entry(p, now, handPositions));
        return out;
    }

    private RosterEntry entry(Participant p, long now, Map<String, Integer> handPositions) {
        boolean speaking = !p.waiting && !p.muted && speakers.speaking(p.endpointId, now);
        return new RosterEntry(p.endpointId, p.participantId, p.role, speaking, p.waiting,
                handPositions.getOrDefault(p.endpointId, 0), moderation.spotlight().contains(p.endpointId),
                p.audioOnly(), p.muted, p.selfMuted(), p.mediaRefused);
    }

    private void sendError(Participant p, ErrorCode code, String message, String type, String requestId) {
        outbox.send(p.endpointId, ServerMessages.error(code, message, type, requestId));
    }
}
