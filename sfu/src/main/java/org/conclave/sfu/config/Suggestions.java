package org.conclave.sfu.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelt keys. */
final class Suggestions {
    /** Edits tolerated: two for short names, a third of the name for long ones. */
    private static final int MIN_TOLERATED_EDITS = 2;
    private static final int CHARS_PER_TOLERATED_EDIT = 3;

    private Suggestions() {}

    /** The candidate closest to {@code typo}, or null if none is close enough to be a likely typo. */
    static String closest(String typo, Collection<String> candidates) {
        int tolerated = Math.max(MIN_TOLERATED_EDITS, typo.length() / CHARS_PER_TOLERATED_EDIT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(typo.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d <= tolerated && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: a swap of two neighbours counts as one edit (udp_prot -> udp_port). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
