package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a completed exchange into {@link Negotiated}: what both sides agreed, m-line by m-line. */
final class Summarizer {
    /** RFC 8841: a peer that states no a=max-message-size can take 64 KiB. */
    static final long DEFAULT_REMOTE_MAX_MESSAGE_SIZE = 65536;
    static final int DEFAULT_SCTP_PORT = 5000;

    private Summarizer() {}

    static Negotiated summarize(NegotiationState state) {
        SessionDescription local = state.local();
        SessionDescription remote = state.remote();
        Set<IceCredentials> ice = new LinkedHashSet<>();
        Set<Fingerprint> fingerprints = new LinkedHashSet<>();
        List<NegotiatedMedia> media = new ArrayList<>();
        Map<Integer, PayloadType> payloadTypes = new HashMap<>();
        Map<MediaKind, Map<Integer, String>> byKind = new EnumMap<>(MediaKind.class);
        boolean rsize = true;
        boolean anyRtp = false;
        SctpParameters sctp = null;
        for (int i = 0; i < remote.media().size(); i++) {
            // every bundled section of the client counts: aiortc gives each its own credentials
            MediaDescription r = remote.media().get(i);
            if (!remote.inBundle(r) && !state.accepted(i)) continue;
            String ufrag = remote.iceUfragOf(r);
            String pwd = remote.icePwdOf(r);
            if (ufrag != null && pwd != null) ice.add(new IceCredentials(ufrag, pwd));
            fingerprints.addAll(remote.fingerprintsOf(r));
        }
        for (int i = 0; i < local.media().size(); i++) {
            if (!state.accepted(i)) continue;
            MediaDescription l = local.media().get(i);
            MediaDescription r = remote.media().get(i);
            if (l.kind() == MediaKind.APPLICATION) {
                if (sctp == null && l.mid() != null) sctp = sctp(l, r);
                continue;
            }
            if (!l.isRtp() || l.mid() == null) continue;
            anyRtp = true;
            rsize &= l.rtcpRsize() && r.rtcpRsize();
            boolean ours = state.isDownstream(l);
            NegotiatedMedia nm = rtpMedia(l, r, !ours);
            media.add(nm);
            // the client publishes on an m-line the SFU sends on: the same m-line, read the other way, is upstream too
            if (state.clientPublishes(i)) {
                media.add(rtpMedia(l, r, true));
            }
            for (Codec c : nm.codecs()) {
                payloadTypes.putIfAbsent(c.pt(), new PayloadType(c.pt(), nm.kind(), c, false));
                if (c.rtxPt() != null) payloadTypes.putIfAbsent(c.rtxPt(), new PayloadType(c.rtxPt(), nm.kind(), c, true));
            }
            Map<Integer, String> kindMap = byKind.computeIfAbsent(nm.kind(), k -> new HashMap<>());
            nm.extensions().forEach(kindMap::putIfAbsent);
        }
        List<String> bundle = new ArrayList<>();
        if (local.bundle() != null) {
            for (String mid : local.bundle()) {
                int i = indexOf(local, mid);
                if (i >= 0 && state.accepted(i)) bundle.add(mid);
            }
        }
        return new Negotiated(List.copyOf(ice), List.copyOf(fingerprints), anyRtp && rsize, bundle, media,
                payloadTypes, byKind, sctp);
    }

    private static int indexOf(SessionDescription s, String mid) {
        for (int i = 0; i < s.media().size(); i++) {
            if (mid.equals(s.media().get(i).mid())) return i;
        }
        return -1;
    }

    /** One accepted RTP m-line as the client's media to the SFU ({@code upstream}) or the SFU's to the client. */
    private static NegotiatedMedia rtpMedia(MediaDescription l, MediaDescription r, boolean upstream) {
        List<Codec> codecs = new ArrayList<>();
        for (Codec c : l.codecs()) {
            RtpMap theirs = r.rtpMap(c.pt());
            if (theirs == null || !theirs.is(c.name(), c.clockRate())) continue;
            List<RtcpFb> fbs = new ArrayList<>();
            List<RtcpFb> theirFbs = r.rtcpFbsFor(c.pt());
            for (RtcpFb fb : c.rtcpFbs()) {
                if (theirFbs.stream().anyMatch(o -> o.feedback().equals(fb.feedback()))) fbs.add(fb);
            }
            Integer rtx = c.rtxPt() != null && c.rtxPt().equals(r.rtxFor(c.pt())) ? c.rtxPt() : null;
            codecs.add(new Codec(c.pt(), c.name(), c.clockRate(), c.channels(), c.fmtp(), fbs, rtx));
        }
        Map<Integer, String> extensions = new HashMap<>();
        for (Extmap e : l.extmaps()) {
            if (e.uri().equals(r.extmapUri(e.id()))) extensions.put(e.id(), e.uri());
        }
        MediaDescription sender = upstream ? r : l;
        List<String> rids = new ArrayList<>();
        if (upstream) {
            for (Rid rid : l.rids()) {
                if (rid.direction() == RidDirection.RECV) rids.add(rid.id());
            }
        }
        return new NegotiatedMedia(l.mid(), l.kind(), upstream, l.effectiveDirection(), r.effectiveDirection(), codecs,
                extensions, sender.ssrcValues(), sender.ssrcGroups(), rids, sender.effectiveMsid(), sender.cname());
    }

    private static SctpParameters sctp(MediaDescription l, MediaDescription r) {
        long remoteMax = r.maxMessageSize() != null ? r.maxMessageSize() : DEFAULT_REMOTE_MAX_MESSAGE_SIZE;
        long localMax = l.maxMessageSize() != null ? l.maxMessageSize() : DEFAULT_REMOTE_MAX_MESSAGE_SIZE;
        return new SctpParameters(l.mid(), sctpPort(r), remoteMax, sctpPort(l), localMax);
    }

    /** a=sctp-port, or the legacy "DTLS/SCTP &lt;port&gt;" format (aiortc), or the default 5000. */
    private static int sctpPort(MediaDescription m) {
        if (m.sctpPort() != null) return m.sctpPort();
        if (m.proto().equals("DTLS/SCTP") && !m.formats().isEmpty()) {
            try {
                return (int) SdpText.number(m.formats().get(0), 65535, "SCTP port");
            } catch (IllegalArgumentException notAPort) {
                return DEFAULT_SCTP_PORT;
            }
        }
        return DEFAULT_SCTP_PORT;
    }
}
