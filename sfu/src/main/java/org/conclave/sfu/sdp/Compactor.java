package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Rebuilds the descriptions an endpoint keeps for the rest of its session ({@link NegotiationState}) so that equal
 * parts are one object. The SFU writes the same codecs, feedback, extensions, fingerprint and ICE lines on every
 * m-line, and a client's answer repeats them; parsed or built, each m-line had its own copy of every string, record
 * and list (in a room of 10, 60 m-lines per endpoint: ~100 kB, docs/benchmarks.md "Live heap per participant").
 * Everything here is immutable and each replacement equals what it replaces, so nothing can tell the difference but
 * the heap. One compactor serves one negotiation state: its local and remote descriptions share too.
 */
final class Compactor {
    private final Map<Object, Object> seen = new HashMap<>();

    SessionDescription compact(SessionDescription s) {
        return new SessionDescription(share(s.origin()), str(s.sessionName()), str(s.timing()),
                connection(s.connection()), list(s.extraLines(), this::share), strings(s.bundle()), s.iceLite(),
                str(s.iceUfrag()), str(s.icePwd()), str(s.iceOptions()), list(s.fingerprints(), this::fingerprint),
                s.setup(), str(s.msidSemantic()), s.extmapAllowMixed(), list(s.otherAttributes(), this::attribute),
                list(s.media(), this::media));
    }

    private MediaDescription media(MediaDescription m) {
        return share(new MediaDescription(str(m.media()), m.port(), str(m.proto()), strings(m.formats()),
                connection(m.connection()), list(m.extraLines(), this::share), str(m.mid()), m.direction(),
                str(m.iceUfrag()), str(m.icePwd()), list(m.fingerprints(), this::fingerprint), m.setup(), m.rtcpMux(),
                m.rtcpRsize(), list(m.rtpMaps(), this::rtpMap), list(m.fmtps(), this::fmtp),
                list(m.rtcpFbs(), this::rtcpFb), list(m.extmaps(), this::extmap), list(m.ssrcs(), this::ssrc),
                list(m.ssrcGroups(), this::share), list(m.msids(), this::msid), list(m.rids(), this::share),
                share(m.simulcast()), m.sctpPort(), m.maxMessageSize(), strings(m.candidates()), m.endOfCandidates(),
                list(m.otherAttributes(), this::attribute)));
    }

    private Connection connection(Connection c) {
        return record(c, v -> new Connection(str(v.netType()), str(v.addrType()), str(v.address())));
    }

    private Fingerprint fingerprint(Fingerprint f) {
        return record(f, v -> new Fingerprint(str(v.hashFunction()), str(v.value())));
    }

    private RtpMap rtpMap(RtpMap r) {
        return record(r, v -> new RtpMap(v.pt(), str(v.encodingName()), v.clockRate(), v.channels()));
    }

    private Fmtp fmtp(Fmtp f) {
        return record(f, v -> new Fmtp(v.pt(), str(v.params())));
    }

    private RtcpFb rtcpFb(RtcpFb f) {
        return record(f, v -> new RtcpFb(v.pt(), str(v.type()), str(v.subtype())));
    }

    private Extmap extmap(Extmap e) {
        return record(e, v -> new Extmap(v.id(), v.direction(), str(v.uri()), str(v.attributes())));
    }

    private SsrcAttribute ssrc(SsrcAttribute s) {
        return record(s, v -> new SsrcAttribute(v.ssrc(), str(v.attribute()), str(v.value())));
    }

    private Msid msid(Msid m) {
        return record(m, v -> new Msid(str(v.streamId()), str(v.trackId())));
    }

    private Attribute attribute(Attribute a) {
        return record(a, v -> new Attribute(str(v.name()), str(v.value())));
    }

    private List<String> strings(List<String> l) {
        return l == null ? null : list(l, this::str);
    }

    /** An immutable list of the shared elements, itself shared with an equal list seen before. */
    private <T> List<T> list(List<T> l, UnaryOperator<T> element) {
        if (l.isEmpty()) return List.of();
        List<T> out = new ArrayList<>(l.size());
        for (T t : l) out.add(element.apply(t));
        return share(List.copyOf(out));
    }

    /** The value seen before that equals {@code v}, else {@code v} rebuilt from shared parts. */
    @SuppressWarnings("unchecked")
    private <T> T record(T v, UnaryOperator<T> rebuild) {
        if (v == null) return null;
        Object known = seen.get(v);
        if (known != null) return (T) known;
        T rebuilt = rebuild.apply(v);
        seen.put(rebuilt, rebuilt);
        return rebuilt;
    }

    private String str(String s) {
        return share(s);
    }

    @SuppressWarnings("unchecked")
    private <T> T share(T v) {
        if (v == null) return null;
        Object known = seen.putIfAbsent(v, v);
        return known == null ? v : (T) known;
    }
}
