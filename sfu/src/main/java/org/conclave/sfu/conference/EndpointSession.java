package org.conclave.sfu.conference;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.dtls.DtlsServerSession;
import org.conclave.sfu.forward.EndpointMedia;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.conference.Negotiation.Summary;
import org.conclave.sfu.sdp.NegotiationState;
import org.conclave.sfu.sdp.Offer;

/** The signalling state of one endpoint: its offer/answer exchanges and which sources it sends and receives. */
final class EndpointSession {
    enum Signaling { NEW, STABLE, HAVE_LOCAL_OFFER, CLOSED }

    final String id;
    final Conference conference;
    final String participantId;
    final Role role;
    final EndpointListener listener;
    final IceCredentials credentials;
    final EndpointMedia media;

    Signaling signaling = Signaling.NEW;
    /** The last complete offer/answer exchange (the client's offer and our answer, or our re-offer and its answer). */
    NegotiationState state;
    Offer pendingOffer;
    boolean renegotiationNeeded;
    Summary negotiated;
    final long sessionId;
    List<Source> sources = List.of();
    final List<Downstream> downstream = new ArrayList<>();
    DtlsServerSession dtls;
    /** Set with the first answer, before DTLS starts (so DTLS callbacks see it). */
    org.conclave.sfu.datachannel.EndpointDataChannels dataChannels;
    int nextMid;
    /** What this endpoint asked for of each sender track ("streamId/trackId"), applied when it receives it. */
    final java.util.Map<String, org.conclave.sfu.control.VideoQuality> requestedQuality = new java.util.HashMap<>();
    long sessionVersion = 1;
    /** Its media was refused as not end-to-end encrypted at least once (the log says so once). */
    boolean mediaRefusedLogged;

    EndpointSession(String id, Conference conference, String participantId, Role role, EndpointListener listener,
            IceCredentials credentials, EndpointMedia media, long sessionId) {
        this.sessionId = sessionId;
        this.id = id;
        this.conference = conference;
        this.participantId = participantId;
        this.role = role;
        this.listener = listener;
        this.credentials = credentials;
        this.media = media;
    }

    Downstream downstreamOf(Source source) {
        for (Downstream d : downstream) {
            if (d.source == source) return d;
        }
        return null;
    }

    /** The live downstream video m-line carrying the sender track the receiver knows as streamId/trackId. */
    Downstream downstreamVideo(String streamId, String trackId) {
        for (Downstream d : downstream) {
            if (d.active && d.source.kind() == org.conclave.sfu.forward.MediaKind.VIDEO
                    && d.source.streamId().equals(streamId) && d.source.trackId().equals(trackId)) return d;
        }
        return null;
    }

    String newDownstreamMid() {
        return "s" + (nextMid++);
    }
}
