package org.conclave.cluster.wire;

import io.vertx.core.buffer.Buffer;
import java.util.function.Function;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.VideoQuality;

/**
 * The control contract on the event bus: every {@link Request}, {@link Reply}, {@link NodeEvent} and {@link NodeLoad}
 * as one {@link Buffer} (docs/architecture.md, "The cluster"). A message is a version byte, a kind byte and the
 * fields in a fixed order; enums travel by name, so reordering an enum never changes a meaning. Decoding refuses
 * whatever is out of shape with a {@link WireException} and never throws anything else.
 */
public final class ControlCodec {
    static final int VERSION = 1;

    private static final int ALLOCATE = 1;
    private static final int APPLY_OFFER = 2;
    private static final int SET_STREAM_METADATA = 3;
    private static final int REQUIRE_E2EE = 4;
    private static final int APPLY_ANSWER = 5;
    private static final int ADD_CANDIDATE = 6;
    private static final int SET_VIDEO_QUALITY = 7;
    private static final int CLOSE = 8;
    private static final int SET_DRAINING = 9;

    private static final int DONE = 20;
    private static final int ALLOCATED = 21;
    private static final int DESCRIBED = 22;
    private static final int REFUSED = 23;
    private static final int LOADED = 24;

    private static final int CONNECTED = 40;
    private static final int FAILED = 41;
    private static final int CLOSED = 42;
    private static final int OFFER = 43;
    private static final int METADATA = 44;
    private static final int MEDIA_REFUSED = 45;
    private static final int LAYER_CHANGED = 46;

    private static final int LOAD = 60;

    private ControlCodec() {}

    // ---------------------------------------------------------------- requests

    public static Buffer encode(Request request) {
        if (request instanceof Request.Allocate a) {
            return start(ALLOCATE).string(a.request().conferenceId())
                    .string(a.request().participantId()).name(a.request().role()).bool(a.request().requireE2ee())
                    .string(a.owner()).string(a.events()).buffer();
        } else if (request instanceof Request.ApplyOffer o) {
            return start(APPLY_OFFER).string(o.endpointId()).string(o.sdp())
                    .metadata(o.metadata()).buffer();
        } else if (request instanceof Request.SetStreamMetadata m) {
            return start(SET_STREAM_METADATA).string(m.endpointId())
                    .metadata(m.metadata()).buffer();
        } else if (request instanceof Request.RequireE2ee r) {
            return start(REQUIRE_E2EE).string(r.conferenceId()).buffer();
        } else if (request instanceof Request.ApplyAnswer a) {
            return start(APPLY_ANSWER).string(a.endpointId()).string(a.sdp()).buffer();
        } else if (request instanceof Request.AddCandidate c) {
            return start(ADD_CANDIDATE).string(c.endpointId()).string(c.candidate())
                    .nullable(c.sdpMid()).buffer();
        } else if (request instanceof Request.SetVideoQuality q) {
            return start(SET_VIDEO_QUALITY).string(q.endpointId()).string(q.streamId())
                    .string(q.trackId()).name(q.quality()).buffer();
        } else if (request instanceof Request.Close c) {
            return start(CLOSE).string(c.endpointId()).nullable(c.reason()).name(c.cause()).buffer();
        }
        return start(SET_DRAINING).bool(((Request.SetDraining) request).draining()).buffer();
    }

    public static Request decodeRequest(Buffer message) {
        return decode(message, "request", r -> switch (r.u8()) {
            case ALLOCATE -> new Request.Allocate(new AllocateRequest(r.string(), r.string(), r.name(Role.class),
                    r.bool()), r.string(), r.string());
            case APPLY_OFFER -> new Request.ApplyOffer(r.string(), r.string(), r.metadata());
            case SET_STREAM_METADATA -> new Request.SetStreamMetadata(r.string(), r.metadata());
            case REQUIRE_E2EE -> new Request.RequireE2ee(r.string());
            case APPLY_ANSWER -> new Request.ApplyAnswer(r.string(), r.string());
            case ADD_CANDIDATE -> new Request.AddCandidate(r.string(), r.string(), r.nullable());
            case SET_VIDEO_QUALITY -> new Request.SetVideoQuality(r.string(), r.string(), r.string(),
                    r.name(VideoQuality.class));
            case CLOSE -> new Request.Close(r.string(), r.nullable(), r.name(CloseCause.class));
            case SET_DRAINING -> new Request.SetDraining(r.bool());
            default -> throw unknownKind("request");
        });
    }

    // ---------------------------------------------------------------- replies

    public static Buffer encode(Reply reply) {
        if (reply instanceof Reply.Allocated a) {
            return start(ALLOCATED).string(a.allocation().endpointId()).string(a.allocation().conferenceId())
                    .buffer();
        } else if (reply instanceof Reply.Described d) {
            return start(DESCRIBED).string(d.description().sdp()).metadata(d.description().streams()).buffer();
        } else if (reply instanceof Reply.Refused r) {
            return start(REFUSED).name(r.reason()).nullable(r.message()).buffer();
        } else if (reply instanceof Reply.Loaded l) {
            return load(start(LOADED), l.load()).buffer();
        }
        return start(DONE).buffer();
    }

    public static Reply decodeReply(Buffer message) {
        return decode(message, "reply", r -> switch (r.u8()) {
            case DONE -> new Reply.Done();
            case ALLOCATED -> new Reply.Allocated(new EndpointAllocation(r.string(), r.string()));
            case DESCRIBED -> new Reply.Described(new SfuDescription(r.string(), r.metadata()));
            case REFUSED -> new Reply.Refused(r.name(FailureReason.class), r.nullable());
            case LOADED -> new Reply.Loaded(load(r));
            default -> throw unknownKind("reply");
        });
    }

    // ---------------------------------------------------------------- events

    public static Buffer encode(NodeEvent event) {
        if (event instanceof NodeEvent.Failed f) {
            return event(FAILED, f).name(f.reason()).nullable(f.detail()).buffer();
        } else if (event instanceof NodeEvent.Closed c) {
            return event(CLOSED, c).name(c.cause()).nullable(c.detail()).buffer();
        } else if (event instanceof NodeEvent.Offer o) {
            return event(OFFER, o).string(o.offer().sdp()).metadata(o.offer().streams()).buffer();
        } else if (event instanceof NodeEvent.Metadata m) {
            return event(METADATA, m).metadata(m.streams()).buffer();
        } else if (event instanceof NodeEvent.MediaRefused m) {
            return event(MEDIA_REFUSED, m).nullable(m.detail()).buffer();
        } else if (event instanceof NodeEvent.LayerChanged l) {
            return event(LAYER_CHANGED, l).string(l.streamId()).string(l.trackId()).name(l.quality())
                    .nullable(l.reason()).buffer();
        }
        return event(CONNECTED, event).buffer();
    }

    public static NodeEvent decodeEvent(Buffer message) {
        return decode(message, "event", r -> {
            int kind = r.u8();
            String node = r.string();
            String endpoint = r.string();
            return switch (kind) {
                case CONNECTED -> new NodeEvent.Connected(node, endpoint);
                case FAILED -> new NodeEvent.Failed(node, endpoint, r.name(FailureReason.class), r.nullable());
                case CLOSED -> new NodeEvent.Closed(node, endpoint, r.name(CloseCause.class), r.nullable());
                case OFFER -> new NodeEvent.Offer(node, endpoint, new SfuDescription(r.string(), r.metadata()));
                case METADATA -> new NodeEvent.Metadata(node, endpoint, r.metadata());
                case MEDIA_REFUSED -> new NodeEvent.MediaRefused(node, endpoint, r.nullable());
                case LAYER_CHANGED -> new NodeEvent.LayerChanged(node, endpoint, r.string(), r.string(),
                        r.name(VideoQuality.class), r.nullable());
                default -> throw unknownKind("event");
            };
        });
    }

    // ---------------------------------------------------------------- heartbeats

    public static Buffer encode(NodeLoad load) {
        return load(start(LOAD), load).buffer();
    }

    public static NodeLoad decodeLoad(Buffer message) {
        return decode(message, "heartbeat", r -> {
            if (r.u8() != LOAD) throw unknownKind("heartbeat");
            return load(r);
        });
    }

    private static WireWriter load(WireWriter w, NodeLoad load) {
        return w.string(load.node()).string(load.clusterNodeId()).string(load.address()).i32(load.endpoints())
                .i32(load.conferences()).i32(load.maxEndpoints()).f64(load.busyRatio()).bool(load.draining())
                .i64(load.sequence());
    }

    private static NodeLoad load(WireReader r) {
        return new NodeLoad(r.string(), r.string(), r.string(), r.i32(), r.i32(), r.i32(), r.f64(), r.bool(),
                r.i64());
    }

    // ---------------------------------------------------------------- framing

    private static WireWriter start(int kind) {
        return new WireWriter().u8(VERSION).u8(kind);
    }

    private static WireWriter event(int kind, NodeEvent e) {
        return start(kind).string(e.node()).string(e.endpointId());
    }

    /** Version check, the body, nothing left over; a rule the records enforce becomes a WireException too. */
    private static <T> T decode(Buffer message, String what, Function<WireReader, T> body) {
        WireReader r = new WireReader(message);
        int version = r.u8();
        if (version != VERSION) throw new WireException(what + " of version " + version + "; this node speaks "
                + VERSION + " (run one Conclave version across the cluster)");
        T value;
        try {
            value = body.apply(r);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireException(what + " breaks a rule of its fields: " + e.getMessage());
        }
        r.end();
        return value;
    }

    private static WireException unknownKind(String what) {
        return new WireException("unknown " + what + " kind");
    }
}
