package org.conclave.bench.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The SDP the benchmark's clients write: offers with Opus and VP8 m-lines (each SSRC declared, no header
 * extensions, a=setup:active so the client is always the DTLS client), and answers to a server's offers.
 */
public final class LocalDescriptions {
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;

    private LocalDescriptions() {}

    public static String offer(LocalIdentity id, List<MediaLine> lines) {
        List<String> l = new ArrayList<>(List.of("v=0", "o=- 4611731400430051336 1 IN IP4 127.0.0.1", "s=-", "t=0 0"));
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (MediaLine m : lines) bundle.append(' ').append(m.mid());
        l.add(bundle.toString());
        l.add("a=msid-semantic: WMS *");
        for (MediaLine m : lines) {
            int pt = m.audio() ? OPUS_PT : VP8_PT;
            l.add("m=" + (m.audio() ? "audio" : "video") + " 9 UDP/TLS/RTP/SAVPF " + pt);
            l.add("c=IN IP4 0.0.0.0");
            transport(l, id, "active");
            l.add("a=mid:" + m.mid());
            l.add(m.sends() ? "a=sendonly" : "a=recvonly");
            l.add("a=rtcp-mux");
            l.add("a=rtcp-rsize");
            if (m.audio()) {
                l.add("a=rtpmap:" + pt + " opus/48000/2");
                l.add("a=fmtp:" + pt + " minptime=10;useinbandfec=1");
            } else {
                l.add("a=rtpmap:" + pt + " VP8/90000");
                l.add("a=rtcp-fb:" + pt + " nack");
                l.add("a=rtcp-fb:" + pt + " nack pli");
                l.add("a=rtcp-fb:" + pt + " ccm fir");
            }
            if (m.sends()) {
                String ssrc = Long.toString(m.ssrc() & 0xFFFFFFFFL);
                l.add("a=msid:" + m.streamId() + " " + m.trackId());
                l.add("a=ssrc:" + ssrc + " cname:" + m.streamId());
                l.add("a=ssrc:" + ssrc + " msid:" + m.streamId() + " " + m.trackId());
            }
        }
        return String.join("\r\n", l) + "\r\n";
    }

    /**
     * Answers a server's offer: accepted sections mirror the offer's codecs with the direction turned round;
     * rejected ones get port 0 and leave the BUNDLE group.
     */
    public static String answer(RemoteDescription offer, LocalIdentity id, Predicate<MediaSection> accept, long version) {
        return answer(offer, id, accept, version, false);
    }

    /**
     * @param idleNotRejected answer the sections not accepted {@code inactive} instead of rejecting them (port 0), as
     *     a browser does: it never declines a line it can decode, it just receives nothing there
     */
    public static String answer(RemoteDescription offer, LocalIdentity id, Predicate<MediaSection> accept, long version,
            boolean idleNotRejected) {
        List<String> l = new ArrayList<>(List.of("v=0", "o=- 4611731400430051337 " + version + " IN IP4 127.0.0.1",
                "s=-", "t=0 0"));
        List<MediaSection> accepted = new ArrayList<>();
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        List<MediaSection> idle = new ArrayList<>();
        for (MediaSection s : offer.sections()) {
            if (s.port() == 0) continue;
            boolean take = accept.test(s);
            if (!take && !idleNotRejected) continue;
            if (!take) idle.add(s);
            accepted.add(s);
            bundle.append(' ').append(s.mid());
        }
        l.add(bundle.toString());
        l.add("a=msid-semantic: WMS *");
        for (MediaSection s : offer.sections()) {
            String[] m = s.lines().get(0).split(" ", 3);
            if (!accepted.contains(s)) {
                l.add(m[0] + " 0 " + m[2]);
                l.add("c=IN IP4 0.0.0.0");
                if (s.mid() != null) l.add("a=mid:" + s.mid());
                l.add("a=inactive");
                continue;
            }
            l.add(m[0] + " 9 " + m[2]);
            l.add("c=IN IP4 0.0.0.0");
            transport(l, id, "active");
            for (String line : s.lines().subList(1, s.lines().size())) {
                if (isTransportLine(line) || line.startsWith("c=")) continue;
                if (line.startsWith("a=ssrc") || line.startsWith("a=msid:") || line.startsWith("a=simulcast")
                        || line.startsWith("a=rid:")) {
                    continue;
                }
                boolean direction = line.equals("a=sendonly") || line.equals("a=recvonly") || line.equals("a=sendrecv")
                        || line.equals("a=inactive");
                if (direction && idle.contains(s)) line = "a=inactive";
                l.add(switch (line) {
                    case "a=sendonly" -> "a=recvonly";
                    case "a=recvonly" -> "a=sendonly";
                    default -> line;
                });
            }
        }
        return String.join("\r\n", l) + "\r\n";
    }

    private static void transport(List<String> l, LocalIdentity id, String setup) {
        l.add("a=ice-ufrag:" + id.ufrag());
        l.add("a=ice-pwd:" + id.pwd());
        l.add("a=fingerprint:" + id.fingerprint());
        l.add("a=setup:" + setup);
        l.add("a=" + id.candidate());
        l.add("a=end-of-candidates");
    }

    private static boolean isTransportLine(String line) {
        return line.startsWith("a=ice-") || line.startsWith("a=fingerprint:") || line.startsWith("a=setup:")
                || line.startsWith("a=candidate:") || line.equals("a=end-of-candidates") || line.equals("a=ice-lite");
    }
}
