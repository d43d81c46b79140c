package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses untrusted SDP text into the typed model. Tolerant of LF or CRLF, trailing whitespace, blank lines and
 * unknown lines or attributes (kept); strict on the lines the SFU relies on, with the line number in the error.
 * Bounded by {@link SdpLimits}: a text beyond them is refused with the limit's name ({@link SdpParseException#limit}).
 */
public final class SdpParser {
    private static final int EXCERPT_CHARS = 100;

    private SdpParser() {}

    /** With {@link SdpLimits#DEFAULTS}: for SDP the SFU wrote itself, and tests; clients' SDP takes the configured. */
    public static SessionDescription parse(String sdp) {
        return parse(sdp, SdpLimits.DEFAULTS);
    }

    /** @throws SdpParseException with the line number and a sentence saying what is wrong */
    public static SessionDescription parse(String sdp, SdpLimits limits) {
        if (sdp == null || sdp.isEmpty()) throw new SdpParseException(0, "the SDP is empty");
        if (sdp.length() > limits.maxChars()) {
            throw new SdpParseException(0, "the SDP is " + sdp.length() + " characters long; the limit is "
                    + limits.maxChars() + advice(SdpLimit.SDP_MAX_CHARS), SdpLimit.SDP_MAX_CHARS);
        }
        return new Run(sdp, limits).parse();
    }

    /** What the sender can do about a limit, and which one it is (the client shows the message to a person). */
    private static String advice(SdpLimit limit) {
        return " (this server's sfu." + limit.key() + "): send fewer media tracks or candidates, or ask the"
                + " server's operator to raise it";
    }

    /** One parse: position in the text and the sections built so far. */
    private static final class Run {
        private final String sdp;
        private final SdpLimits limits;
        private int lineNo;
        private String line;
        private boolean sawVersion;
        private boolean sawSessionName;
        private boolean sawTiming;
        private Origin origin;
        private final SessionDescription.Builder session = SessionDescription.builder();
        private final Seen sessionSeen = new Seen();
        private final List<MediaDescription> media = new ArrayList<>();
        private final Set<String> mids = new HashSet<>();
        private MediaDescription.Builder section;
        private Seen sectionSeen;
        private int sectionLine;

        Run(String sdp, SdpLimits limits) {
            this.sdp = sdp;
            this.limits = limits;
        }

        SessionDescription parse() {
            int pos = 0;
            while (pos <= sdp.length()) {
                int nl = sdp.indexOf('\n', pos);
                int end = nl < 0 ? sdp.length() : nl;
                lineNo++;
                line = trimEnd(sdp.substring(pos, end));
                pos = end + 1;
                if (!line.isEmpty()) parseLine();
                if (nl < 0) break;
            }
            if (!sawVersion) throw new SdpParseException(0, "there is no v=0 line");
            if (origin == null) throw new SdpParseException(0, "there is no o= line");
            finishSection();
            try {
                return session.origin(origin).build();
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(0, e.getMessage());
            }
        }

        private static String trimEnd(String s) {
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t' || s.charAt(end - 1) == '\r')) end--;
            return s.substring(0, end);
        }

        private void parseLine() {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c < ' ' && c != '\t') fail("the line contains a control character");
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                fail("the line is not of the form <letter>=<value>");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!sawVersion) {
                if (type != 'v') fail("SDP must start with v=0");
            }
            try {
                switch (type) {
                    case 'v' -> version(value);
                    case 'o' -> origin(value);
                    case 's' -> sessionName(value);
                    case 't' -> timing(value);
                    case 'm' -> mediaLine(value);
                    case 'c' -> connection(value);
                    case 'a' -> attribute(value);
                    default -> {
                        SdpLine extra = new SdpLine(type, value);
                        if (section != null) section.addExtraLine(extra);
                        else session.addExtraLine(extra);
                    }
                }
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }

        private void fail(String message) {
            String excerpt = line.length() > EXCERPT_CHARS ? line.substring(0, EXCERPT_CHARS) + "..." : line;
            StringBuilder clean = new StringBuilder(excerpt.length());
            for (int i = 0; i < excerpt.length(); i++) {
                char c = excerpt.charAt(i);
                clean.append(c < ' ' ? '?' : c);
            }
            throw new SdpParseException(lineNo, message + " (in \"" + clean + "\")");
        }

        private void exceeded(SdpLimit limit, String message) {
            throw new SdpParseException(lineNo, message + advice(limit), limit);
        }

        private void version(String value) {
            if (sawVersion) fail("there is a second v= line");
            if (!value.equals("0")) fail("only SDP version 0 exists, got v=" + value);
            sawVersion = true;
        }

        private void origin(String value) {
            if (section != null) fail("o= belongs before the first m= line");
            if (origin != null) fail("there is a second o= line");
            List<String> t = SdpText.split(value);
            if (t.size() != 6) {
                fail("o= must be '<username> <session id> <version> <net type> <addr type> <address>'");
            }
            long version = SdpText.number(t.get(2), Long.MAX_VALUE, "o= session version");
            origin = new Origin(t.get(0), t.get(1), version, t.get(3), t.get(4), t.get(5));
        }

        private void sessionName(String value) {
            if (section != null) fail("s= belongs before the first m= line");
            if (sawSessionName) fail("there is a second s= line");
            sawSessionName = true;
            session.sessionName(value);
        }

        private void timing(String value) {
            if (section != null) fail("t= belongs before the first m= line");
            if (sawTiming) fail("only one t= line is supported");
            sawTiming = true;
            session.timing(value);
        }

        private void connection(String value) {
            List<String> t = SdpText.split(value);
            if (t.size() != 3) fail("c= must be '<net type> <addr type> <address>'");
            Connection c = new Connection(t.get(0), t.get(1), t.get(2));
            Seen seen = section != null ? sectionSeen : sessionSeen;
            seen.once("c=", "a second c= line");
            if (section != null) section.connection(c);
            else session.connection(c);
        }

        private void mediaLine(String value) {
            if (origin == null) fail("the o= line must come before the first m= line");
            finishSection();
            if (media.size() >= limits.maxMediaSections()) {
                exceeded(SdpLimit.SDP_MAX_MEDIA_SECTIONS, "more than " + limits.maxMediaSections() + " m-sections");
            }
            List<String> t = SdpText.split(value);
            if (t.size() < 3) fail("m= must be '<media> <port> <proto> <formats>'");
            int port = (int) SdpText.number(t.get(1), 65535, "m= port");
            String proto = t.get(2);
            List<String> formats = t.subList(3, t.size());
            if (proto.contains("RTP/")) {
                for (String f : formats) SdpText.payloadType(f);
            }
            section = MediaDescription.builder().media(t.get(0)).port(port).proto(proto).formats(formats);
            sectionSeen = new Seen();
            sectionLine = lineNo;
        }

        private void finishSection() {
            if (section == null) return;
            try {
                media.add(section.build());
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(sectionLine, "m-section: " + e.getMessage());
            }
            session.addMedia(media.get(media.size() - 1));
            section = null;
        }

        private void attribute(String text) {
            Seen seen = section != null ? sectionSeen : sessionSeen;
            if (++seen.attributes > limits.maxAttributesPerSection()) {
                exceeded(SdpLimit.SDP_MAX_ATTRIBUTES_PER_SECTION,
                        "more than " + limits.maxAttributesPerSection() + " attributes in one section");
            }
            int colon = text.indexOf(':');
            String name = colon < 0 ? text : text.substring(0, colon);
            String raw = colon < 0 ? null : text.substring(colon + 1);
            if (section != null) mediaAttribute(name, raw, seen);
            else sessionAttribute(name, raw, seen);
        }

        private static String value(String name, String raw) {
            String v = raw == null ? "" : raw.strip();
            if (v.isEmpty()) throw new IllegalArgumentException("a=" + name + " needs a value");
            return v;
        }

        private void sessionAttribute(String name, String raw, Seen seen) {
            switch (name) {
                case "group" -> {
                    String[] head = SdpText.head(value(name, raw));
                    if (!head[0].equals("BUNDLE")) {
                        session.addAttribute(new Attribute(name, raw));
                        return;
                    }
                    seen.once("bundle", "a second a=group:BUNDLE line");
                    session.bundle(head[1] == null ? List.of() : SdpText.split(head[1]));
                }
                case "ice-lite" -> session.iceLite(true);
                case "ice-ufrag" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=ice-ufrag");
                    session.iceUfrag(v);
                }
                case "ice-pwd" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=ice-pwd");
                    session.icePwd(v);
                }
                case "ice-options" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=ice-options");
                    session.iceOptions(v);
                }
                case "fingerprint" -> session.addFingerprint(Fingerprint.parse(value(name, raw)));
                case "setup" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=setup");
                    session.setup(Setup.parse(v));
                }
                case "msid-semantic" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=msid-semantic");
                    session.msidSemantic(v);
                }
                case "extmap-allow-mixed" -> session.extmapAllowMixed(true);
                default -> session.addAttribute(new Attribute(name, raw));
            }
        }

        private void mediaAttribute(String name, String raw, Seen seen) {
            MediaDescription.Builder m = section;
            Direction direction = Direction.fromToken(name);
            if (direction != null) {
                seen.once("direction", "more than one direction attribute");
                m.direction(direction);
                return;
            }
            switch (name) {
                case "mid" -> {
                    String mid = SdpText.token(value(name, raw), "a=mid");
                    seen.once(name, "a second a=mid");
                    if (!mids.add(mid)) throw new IllegalArgumentException("mid '" + mid + "' is used by two m-lines");
                    m.mid(mid);
                }
                case "ice-ufrag" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=ice-ufrag");
                    m.iceUfrag(v);
                }
                case "ice-pwd" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=ice-pwd");
                    m.icePwd(v);
                }
                case "fingerprint" -> m.addFingerprint(Fingerprint.parse(value(name, raw)));
                case "setup" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=setup");
                    m.setup(Setup.parse(v));
                }
                case "rtcp-mux" -> m.rtcpMux(true);
                case "rtcp-rsize" -> m.rtcpRsize(true);
                case "rtpmap" -> {
                    RtpMap map = RtpMap.parse(value(name, raw));
                    seen.once("rtpmap " + map.pt(), "a second a=rtpmap for payload type " + map.pt());
                    m.addRtpMap(map);
                }
                case "fmtp" -> {
                    Fmtp fmtp = Fmtp.parse(value(name, raw));
                    seen.once("fmtp " + fmtp.pt(), "a second a=fmtp for payload type " + fmtp.pt());
                    m.addFmtp(fmtp);
                }
                case "rtcp-fb" -> m.addRtcpFb(RtcpFb.parse(value(name, raw)));
                case "extmap" -> {
                    Extmap e = Extmap.parse(value(name, raw));
                    seen.once("extmap " + e.id(), "extmap id " + e.id() + " is used twice in this m-line");
                    m.addExtmap(e);
                }
                case "ssrc" -> m.addSsrc(SsrcAttribute.parse(value(name, raw)));
                case "ssrc-group" -> m.addSsrcGroup(SsrcGroup.parse(value(name, raw)));
                case "msid" -> m.addMsid(Msid.parse(value(name, raw)));
                case "rid" -> {
                    Rid rid = Rid.parse(value(name, raw));
                    seen.once("rid " + rid.id(), "a second a=rid:" + rid.id());
                    m.addRid(rid);
                }
                case "simulcast" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=simulcast");
                    m.simulcast(Simulcast.parse(v));
                }
                case "sctp-port" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=sctp-port");
                    m.sctpPort((int) SdpText.number(v, 65535, "a=sctp-port"));
                }
                case "max-message-size" -> {
                    String v = value(name, raw);
                    seen.once(name, "a second a=max-message-size");
                    m.maxMessageSize(SdpText.number(v, Long.MAX_VALUE, "a=max-message-size"));
                }
                case "candidate" -> m.addCandidate("candidate:" + value(name, raw));
                case "end-of-candidates" -> m.endOfCandidates(true);
                default -> m.addAttribute(new Attribute(name, raw));
            }
        }
    }

    /** What a section has already stated, to refuse contradicting repeats. */
    private static final class Seen {
        private final Set<String> keys = new HashSet<>();
        int attributes;

        void once(String key, String problem) {
            if (!keys.add(key)) throw new IllegalArgumentException(problem);
        }
    }
}
