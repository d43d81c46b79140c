package org.conclave.sfu.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    /** The banded distance agrees with the whole matrix wherever it is within the limit, and says "over" elsewhere. */
    @Test
    void bandedDistanceAgreesWithTheWholeMatrix() {
        Random random = new Random(7);
        for (int run = 0; run < 20_000; run++) {
            String a = word(random);
            String b = random.nextBoolean() ? word(random) : mutate(a, random);
            int limit = random.nextInt(8);
            int full = fullDistance(a, b);
            assertThat(Suggestions.distance(a, b, limit)).as("%s / %s within %d", a, b, limit)
                    .isEqualTo(Math.min(full, limit + 1));
        }
    }

    /** Leaving out what the two share at the beginning and the end changes no distance. */
    @Test
    void sharedBeginningsAndEndsChangeNothing() {
        Random random = new Random(11);
        for (int run = 0; run < 20_000; run++) {
            String prefix = word(random);
            String suffix = word(random);
            String a = prefix + word(random) + suffix;
            String b = prefix + (random.nextBoolean() ? word(random) : mutate(a, random)) + suffix;
            int limit = random.nextInt(8);
            assertThat(Suggestions.distance(a, b, limit)).as("%s / %s within %d", a, b, limit)
                    .isEqualTo(Math.min(fullDistance(a, b), limit + 1));
        }
        assertThat(Suggestions.distance("CONCLAVE_SFU_UDP_PROT", "CONCLAVE_SFU_UDP_PORT", 2)).isEqualTo(1);
        assertThat(Suggestions.distance("CONCLAVE_SFU_X", "CONCLAVE_SFU_UDP_PORT", 7)).isEqualTo(8);
        assertThat(Suggestions.distance("aab", "ab", 1)).isEqualTo(1);
        assertThat(Suggestions.distance("abab", "ab", 2)).isEqualTo(2);
    }

    @Test
    void swapsOfNeighboursCountOnce() {
        assertThat(Suggestions.distance("udp_prot", "udp_port", 2)).isEqualTo(1);
        assertThat(Suggestions.distance("ab", "ba", 0)).isEqualTo(1);
        assertThat(Suggestions.distance("", "abc", 5)).isEqualTo(3);
        assertThat(Suggestions.distance("x".repeat(10_000), "udp_port", 3)).isEqualTo(4);
    }

    private static String word(Random random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) s.append((char) ('a' + random.nextInt(3)));
        return s.toString();
    }

    private static String mutate(String s, Random random) {
        StringBuilder out = new StringBuilder(s);
        for (int edits = random.nextInt(4); edits > 0; edits--) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> out.insert(at, (char) ('a' + random.nextInt(3)));
                case 1 -> { if (!out.isEmpty()) out.deleteCharAt(at); }
                case 2 -> { if (!out.isEmpty()) out.setCharAt(at, (char) ('a' + random.nextInt(3))); }
                default -> {
                    if (at + 1 < out.length()) {
                        char c = out.charAt(at);
                        out.setCharAt(at, out.charAt(at + 1));
                        out.setCharAt(at + 1, c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The textbook optimal string alignment distance over the whole matrix. */
    private static int fullDistance(String a, String b) {
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
