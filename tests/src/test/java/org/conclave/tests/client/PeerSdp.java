package org.conclave.tests.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.rtp.ExtensionUri;

/**
 * The SDP a {@link JavaPeer} writes and reads: its offer, its answers to the SFU's re-offers, and what it learns from
 * them. Text in, text out: the peer keeps what it learns.
 */
final class PeerSdp {
    static final String AUDIO_LEVEL_URI = ExtensionUri.AUDIO_LEVEL.uri();
    static final String TCC_URI = ExtensionUri.TRANSPORT_WIDE_CC.uri();
    static final String MID_URI = ExtensionUri.MID.uri();
    static final String RID_URI = ExtensionUri.RTP_STREAM_ID.uri();
    private static final Pattern APT = Pattern.compile("a=fmtp:(\\d+) apt=(\\d+)");
    private static final Pattern FID = Pattern.compile("a=ssrc-group:FID (\\d+) (\\d+)");

    private PeerSdp() {}

    /** What the peer offers: one Opus and one VP8 m-line (SSRCs declared, or simulcast rids), maybe a data channel. */
    record Offer(IceCredentials credentials, String fingerprint, String streamId, int audioSsrc, int videoSsrc,
            List<String> rids, boolean tmmbr, boolean dataChannel) {

        String write(long sessionId) {
            String fp = "a=fingerprint:" + fingerprint;
            List<String> ice = List.of("c=IN IP4 0.0.0.0", "a=ice-ufrag:" + credentials.ufrag(),
                    "a=ice-pwd:" + credentials.pwd(), fp, "a=setup:actpass");
            List<String> l = new ArrayList<>(List.of("v=0", "o=- " + sessionId + " 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
                    "a=group:BUNDLE 0 1" + (dataChannel ? " 2" : ""), "a=msid-semantic: WMS javapeer"));
            l.add("m=audio 9 UDP/TLS/RTP/SAVPF " + JavaPeer.AUDIO_PT);
            l.addAll(ice);
            l.addAll(List.of("a=mid:0", "a=sendrecv", "a=rtcp-mux",
                    "a=extmap:" + JavaPeer.EXT_AUDIO_LEVEL + " " + AUDIO_LEVEL_URI,
                    "a=rtpmap:" + JavaPeer.AUDIO_PT + " opus/48000/2", "a=msid:" + streamId + " audio",
                    "a=ssrc:" + Integer.toUnsignedString(audioSsrc) + " cname:javapeer"));
            int pt = JavaPeer.VIDEO_PT;
            l.add("m=video 9 UDP/TLS/RTP/SAVPF " + pt);
            l.addAll(ice);
            if (rids.isEmpty()) {
                l.addAll(List.of("a=mid:1", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:" + pt + " VP8/90000",
                        "a=rtcp-fb:" + pt + " nack pli", "a=msid:" + streamId + " video",
                        "a=ssrc:" + Integer.toUnsignedString(videoSsrc) + " cname:javapeer"));
            } else {
                // Like Chromium's simulcast offer: rids, no a=ssrc; packets name their rid (and mid) in extensions.
                l.addAll(List.of("a=mid:1", "a=sendrecv", "a=rtcp-mux", "a=rtcp-rsize",
                        "a=extmap:" + JavaPeer.EXT_TRANSPORT_CC + " " + TCC_URI,
                        "a=extmap:" + JavaPeer.EXT_MID + " " + MID_URI, "a=extmap:" + JavaPeer.EXT_RID + " " + RID_URI,
                        "a=rtpmap:" + pt + " VP8/90000", "a=rtcp-fb:" + pt + " goog-remb",
                        "a=rtcp-fb:" + pt + " transport-cc", "a=rtcp-fb:" + pt + " ccm fir", "a=rtcp-fb:" + pt + " nack",
                        "a=rtcp-fb:" + pt + " nack pli", "a=msid:" + streamId + " video"));
                if (tmmbr) l.add("a=rtcp-fb:" + pt + " ccm tmmbr");
                for (String rid : rids) l.add("a=rid:" + rid + " send");
                l.add("a=simulcast:send " + String.join(";", rids));
            }
            if (dataChannel) {
                l.add("m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
                l.addAll(ice);
                l.addAll(List.of("a=mid:2", "a=sctp-port:5000", "a=max-message-size:262144"));
            }
            return String.join("\r\n", l) + "\r\n";
        }
    }

    /** What the SFU's re-offer says about what it sends us: transport-cc id, RTX payload types and SSRC pairs. */
    record Downstream(int transportCc, Map<Integer, Integer> rtxApt, Map<Integer, Integer> rtxMedia) {
        static Downstream of(String offer) {
            int tcc = -1;
            Map<Integer, Integer> apt = new HashMap<>();
            Map<Integer, Integer> fid = new HashMap<>();
            for (String section : offer.split("(?=\r\nm=)")) {
                if (!section.startsWith("\r\nm=video")) continue;
                int id = extensionId(section, TCC_URI);
                if (id > 0) tcc = id;
                Matcher m = APT.matcher(section);
                while (m.find()) apt.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                m = FID.matcher(section);
                while (m.find()) fid.put((int) Long.parseLong(m.group(2)), (int) Long.parseLong(m.group(1)));
            }
            return new Downstream(tcc, Map.copyOf(apt), Map.copyOf(fid));
        }
    }

    /** The extension ids the SFU's answer accepted for what we send (-1: not negotiated). */
    record Upstream(int transportCc, int mid, int rid, int audioLevel) {
        static final Upstream NONE = new Upstream(-1, -1, -1, -1);

        static Upstream of(String answer) {
            String video = section(answer, "video");
            return new Upstream(extensionId(video, TCC_URI), extensionId(video, MID_URI), extensionId(video, RID_URI),
                    extensionId(section(answer, "audio"), AUDIO_LEVEL_URI));
        }
    }

    /** The m-section of that kind (first one), or "" when absent. */
    static String section(String sdp, String kind) {
        for (String s : sdp.split("(?=\r\nm=)")) {
            if (s.startsWith("\r\nm=" + kind)) return s;
        }
        return "";
    }

    /** The a=extmap id of {@code uri} in an SDP section, or -1. */
    static int extensionId(String section, String uri) {
        Matcher m = Pattern.compile("a=extmap:(\\d+)(?:/\\w+)? " + Pattern.quote(uri) + "\\s").matcher(section + "\r\n");
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The answer with every m-line we would only receive on declined (port 0). */
    static String declined(String answer) {
        StringBuilder out = new StringBuilder();
        for (String section : answer.split("(?=\r\nm=)")) {
            if (section.contains("\r\na=recvonly") && section.startsWith("\r\nm=")) {
                section = section.replaceFirst("^\\r\\nm=(\\w+) \\d+", "\r\nm=$1 0");
            }
            out.append(section);
        }
        return out.toString();
    }

    /** Accepts every m-line of an SFU re-offer: receive on its sendonly lines, keep sending on ours. */
    static String accepted(String offer, IceCredentials credentials, String fingerprint) {
        List<String> out = new ArrayList<>();
        for (String line : offer.split("\r\n")) {
            if (line.equals("a=ice-lite") || line.startsWith("a=candidate:") || line.equals("a=end-of-candidates")
                    || line.startsWith("a=ssrc") || line.startsWith("a=msid:")) {
                continue;
            }
            if (line.startsWith("a=ice-ufrag:")) line = "a=ice-ufrag:" + credentials.ufrag();
            else if (line.startsWith("a=ice-pwd:")) line = "a=ice-pwd:" + credentials.pwd();
            else if (line.startsWith("a=fingerprint:")) line = "a=fingerprint:" + fingerprint;
            else if (line.startsWith("a=setup:")) line = "a=setup:active";
            else if (line.equals("a=sendonly")) line = "a=recvonly";
            else if (line.equals("a=recvonly")) line = "a=sendonly";
            out.add(line);
        }
        return String.join("\r\n", out) + "\r\n";
    }

    /** The first group of {@code regex} in {@code text}, trimmed; throws when absent. */
    static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) throw new IllegalArgumentException("missing " + regex);
        return m.group(1).trim();
    }
}
