package org.conclave.tests.harness;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SDP candidate rewriting: sends a peer to a relay (a {@link UdpShaper}) instead of the SFU's own address. */
public final class Candidates {
    /** {@code a=candidate:foundation component transport priority address port typ ...} */
    private static final Pattern CANDIDATE =
            Pattern.compile("(?m)^(a=candidate:\\S+ \\d+ \\S+ \\d+ )(\\S+) (\\d+)( typ .*)$");

    private Candidates() {}

    /** {@code sdp} with every candidate's address and port replaced by {@code via}'s. */
    public static String rewrite(String sdp, InetSocketAddress via) {
        Matcher m = CANDIDATE.matcher(sdp);
        StringBuilder out = new StringBuilder();
        String replacement = via.getAddress().getHostAddress() + " " + via.getPort();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + replacement + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
