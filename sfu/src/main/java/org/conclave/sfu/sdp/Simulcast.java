package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * a=simulcast (RFC 8853): the raw value, which is what gets written, plus the parsed send and recv rid lists.
 * Alternatives (',') are flattened into the lists; the raw lists are kept so an answer can mirror them exactly.
 */
public final class Simulcast {
    private final String raw;
    private final String sendList;
    private final String recvList;
    private final List<SimulcastRid> send;
    private final List<SimulcastRid> recv;

    private Simulcast(String raw, String sendList, String recvList) {
        this.raw = raw;
        this.sendList = sendList;
        this.recvList = recvList;
        this.send = sendList == null ? List.of() : rids(sendList);
        this.recv = recvList == null ? List.of() : rids(recvList);
    }

    /** Parses the value after "a=simulcast:", e.g. "send h;m;~l" or "recv 1;2 send 3". */
    public static Simulcast parse(String value) {
        SdpText.text(value, "a=simulcast value", false);
        List<String> parts = SdpText.split(value);
        if (parts.size() != 2 && parts.size() != 4) {
            throw new IllegalArgumentException("a=simulcast must be 'send <rids>' and/or 'recv <rids>', got '" + value + "'");
        }
        String send = null;
        String recv = null;
        for (int i = 0; i < parts.size(); i += 2) {
            String dir = parts.get(i);
            if (dir.equals("send") && send == null) send = parts.get(i + 1);
            else if (dir.equals("recv") && recv == null) recv = parts.get(i + 1);
            else throw new IllegalArgumentException("a=simulcast direction '" + dir + "' is unknown or repeated");
        }
        return new Simulcast(value, send, recv);
    }

    /** The answer to a peer's "send &lt;list&gt;": "recv &lt;same list&gt;", paused markers included. */
    public static Simulcast receiving(String ridList) {
        return parse("recv " + ridList);
    }

    private static List<SimulcastRid> rids(String list) {
        String body = list.startsWith("rid=") ? list.substring(4) : list; // pre-RFC drafts wrote "send rid=a;b"
        List<SimulcastRid> out = new ArrayList<>();
        for (String stream : body.split(";", -1)) {
            for (String alt : stream.split(",", -1)) {
                boolean paused = alt.startsWith("~");
                String id = paused ? alt.substring(1) : alt;
                if (id.isEmpty()) throw new IllegalArgumentException("a=simulcast has an empty rid in '" + list + "'");
                out.add(new SimulcastRid(id, paused));
            }
        }
        return List.copyOf(out);
    }

    public String raw() {
        return raw;
    }

    /** The raw send list (e.g. "h;m;~l"), or null. */
    public String sendList() {
        return sendList;
    }

    /** The raw recv list, or null. */
    public String recvList() {
        return recvList;
    }

    public List<SimulcastRid> send() {
        return send;
    }

    public List<SimulcastRid> recv() {
        return recv;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Simulcast s && s.raw.equals(raw);
    }

    @Override
    public int hashCode() {
        return raw.hashCode();
    }

    @Override
    public String toString() {
        return "Simulcast[" + raw + "]";
    }
}
