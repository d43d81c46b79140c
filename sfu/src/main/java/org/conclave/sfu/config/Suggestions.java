package org.conclave.sfu.config;

import java.util.Arrays;
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
        String lowerTypo = typo.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int limit = Math.min(tolerated, bestDistance - 1);
            int d = distance(lowerTypo, candidate.toLowerCase(Locale.ROOT), limit);
            if (d <= limit) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * Optimal string alignment distance (a swap of two neighbours counts as one edit: udp_prot -> udp_port), or
     * {@code limit + 1} when it is more than {@code limit}. Only the band of cells within {@code limit} of the diagonal
     * is computed, and it stops at the first row past the limit: an unknown name far longer than every key (a pasted
     * value, a damaged file) costs no quadratic comparison against each of them. A beginning and an end the two share
     * are left out first (they change no distance): environment variables all begin with {@code CONCLAVE_<SECTION>_}.
     */
    static int distance(String a, String b, int limit) {
        int over = limit + 1;
        if (Math.abs(a.length() - b.length()) > limit) return over;
        int start = 0;
        int aEnd = a.length();
        int bEnd = b.length();
        while (start < aEnd && start < bEnd && a.charAt(start) == b.charAt(start)) start++;
        while (aEnd > start && bEnd > start && a.charAt(aEnd - 1) == b.charAt(bEnd - 1)) {
            aEnd--;
            bEnd--;
        }
        String aMiddle = a.substring(start, aEnd);
        String bMiddle = b.substring(start, bEnd);
        if (characterCountBound(aMiddle, bMiddle) > limit) return over;
        return bandedDistance(aMiddle, bMiddle, limit);
    }

    /**
     * A lower bound of the distance from the two names' character counts: an insertion or a deletion changes the
     * counts' difference by 1, a substitution by 2, a swap by 0, so it takes at least half of it in edits. Most unknown
     * names share few characters with a key, and this (linear) bound then spares the (length x band) table.
     * Characters are counted modulo 128: two sharing a count can only lower the difference, so it stays a bound.
     */
    private static int characterCountBound(String a, String b) {
        int[] counts = new int[128];
        for (int i = 0; i < a.length(); i++) counts[a.charAt(i) & 127]++;
        for (int i = 0; i < b.length(); i++) counts[b.charAt(i) & 127]--;
        int difference = 0;
        for (int count : counts) difference += Math.abs(count);
        return (difference + 1) / 2;
    }

    private static int bandedDistance(String a, String b, int limit) {
        int over = limit + 1;
        int[] twoRowsUp = new int[b.length() + 1];
        int[] rowUp = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) rowUp[j] = Math.min(j, over);
        for (int i = 1; i <= a.length(); i++) {
            Arrays.fill(row, over);
            row[0] = Math.min(i, over);
            int rowMin = row[0];
            for (int j = Math.max(1, i - limit); j <= Math.min(b.length(), i + limit); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(rowUp[j] + 1, row[j - 1] + 1), rowUp[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, twoRowsUp[j - 2] + 1);
                }
                row[j] = Math.min(d, over);
                rowMin = Math.min(rowMin, row[j]);
            }
            if (rowMin > limit) return over;
            int[] reused = twoRowsUp;
            twoRowsUp = rowUp;
            rowUp = row;
            row = reused;
        }
        return rowUp[b.length()];
    }
}
