package org.conclave.bench.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client needs from the other side's SDP: ICE credentials, DTLS fingerprints, host candidates and the
 * m-sections. Tolerates attributes at session or media level. SDP here comes from the server under test over a
 * benchmark's own signalling, not from strangers: a malformed one throws {@link IllegalArgumentException}.
 */
public final class RemoteDescription {
    private final String iceUfrag;
    private final String icePwd;
    private final List<String> fingerprints;
    private final List<InetSocketAddress> candidates;
    private final List<MediaSection> sections;

    private RemoteDescription(String iceUfrag, String icePwd, List<String> fingerprints,
            List<InetSocketAddress> candidates, List<MediaSection> sections) {
        this.iceUfrag = iceUfrag;
        this.icePwd = icePwd;
        this.fingerprints = List.copyOf(fingerprints);
        this.candidates = List.copyOf(candidates);
        this.sections = List.copyOf(sections);
    }

    public static RemoteDescription parse(String sdp) {
        String ufrag = null;
        String pwd = null;
        List<String> fingerprints = new ArrayList<>();
        List<InetSocketAddress> candidates = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        List<String> current = null;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            if (line.startsWith("m=")) {
                if (current != null) sections.add(section(current));
                current = new ArrayList<>();
            }
            if (current != null) current.add(line);
            if (line.startsWith("a=ice-ufrag:") && ufrag == null) ufrag = line.substring(12);
            else if (line.startsWith("a=ice-pwd:") && pwd == null) pwd = line.substring(10);
            else if (line.startsWith("a=fingerprint:")) {
                String fp = line.substring(14).strip();
                if (!fingerprints.contains(fp)) fingerprints.add(fp);
            } else if (line.startsWith("a=candidate:")) {
                InetSocketAddress c = hostCandidate(line);
                if (c != null && !candidates.contains(c)) candidates.add(c);
            }
        }
        if (current != null) sections.add(section(current));
        if (ufrag == null || pwd == null) throw new IllegalArgumentException("no a=ice-ufrag/a=ice-pwd in:\n" + sdp);
        if (fingerprints.isEmpty()) throw new IllegalArgumentException("no a=fingerprint in:\n" + sdp);
        return new RemoteDescription(ufrag, pwd, fingerprints, candidates, sections);
    }

    /** "a=candidate:F 1 udp PRIO IP PORT typ host ..." -> IP:PORT for UDP RTP host candidates, else null. */
    static InetSocketAddress hostCandidate(String line) {
        String[] f = line.substring("a=candidate:".length()).split(" ");
        if (f.length < 8 || !f[1].equals("1") || !f[2].equalsIgnoreCase("udp") || !f[6].equals("typ")
                || !f[7].equals("host")) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(f[4]), Integer.parseInt(f[5]));
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    private static MediaSection section(List<String> lines) {
        String[] m = lines.get(0).substring(2).split(" ");
        if (m.length < 3) throw new IllegalArgumentException("bad m-line " + lines.get(0));
        String mid = null;
        String direction = "sendrecv";
        String track = null;
        for (String l : lines) {
            if (l.startsWith("a=mid:")) mid = l.substring(6);
            else if (l.equals("a=sendonly") || l.equals("a=recvonly") || l.equals("a=sendrecv") || l.equals("a=inactive")) {
                direction = l.substring(2);
            } else if (l.startsWith("a=msid:")) {
                String[] parts = l.substring(7).split(" ");
                if (parts.length > 1) track = parts[1];
            } else if (track == null && l.startsWith("a=ssrc:") && l.contains(" msid:")) {
                String[] parts = l.substring(l.indexOf(" msid:") + 6).split(" ");
                if (parts.length > 1) track = parts[1];
            }
        }
        return new MediaSection(m[0], Integer.parseInt(m[1]), mid, direction, track, lines);
    }

    public String iceUfrag() {
        return iceUfrag;
    }

    public String icePwd() {
        return icePwd;
    }

    public List<String> fingerprints() {
        return fingerprints;
    }

    public List<InetSocketAddress> candidates() {
        return candidates;
    }

    public List<MediaSection> sections() {
        return sections;
    }

    /** The UDP host candidate on {@code preferred} if there is one, else the first IPv4 one. */
    public InetSocketAddress candidateOn(InetAddress preferred) {
        for (InetSocketAddress c : candidates) {
            if (c.getAddress().equals(preferred)) return c;
        }
        for (InetSocketAddress c : candidates) {
            if (c.getAddress() instanceof java.net.Inet4Address) return c;
        }
        throw new IllegalArgumentException("no usable host candidate among " + candidates);
    }
}
