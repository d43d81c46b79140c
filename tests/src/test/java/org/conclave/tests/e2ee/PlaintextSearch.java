package org.conclave.tests.e2ee;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Looks for byte samples (16 bytes a page took from the middle of frames before encrypting them) in other bytes.
 * One pass per haystack: every offset's first {@value #PREFIX} bytes are looked up among the samples' prefixes.
 */
public final class PlaintextSearch {
    static final int PREFIX = 8;

    private final List<byte[]> samples;
    private final Set<Long> prefixes = new java.util.HashSet<>();

    public PlaintextSearch(Collection<String> hexSamples) {
        samples = new ArrayList<>();
        for (String hex : new LinkedHashSet<>(hexSamples)) {
            byte[] s = HexFormat.of().parseHex(hex);
            if (s.length < PREFIX) throw new IllegalArgumentException("sample shorter than " + PREFIX + " bytes: " + hex);
            samples.add(s);
            prefixes.add(prefix(s, 0));
        }
    }

    public int sampleCount() {
        return samples.size();
    }

    /** The samples (hex) that occur somewhere in {@code haystacks}. */
    public Set<String> foundIn(Collection<byte[]> haystacks) {
        Set<String> found = new LinkedHashSet<>();
        for (byte[] h : haystacks) {
            for (int i = 0; i + PREFIX <= h.length; i++) {
                if (!prefixes.contains(prefix(h, i))) continue;
                for (byte[] s : samples) {
                    if (i + s.length <= h.length && Arrays.equals(h, i, i + s.length, s, 0, s.length)) {
                        found.add(HexFormat.of().formatHex(s));
                    }
                }
            }
        }
        return found;
    }

    private static long prefix(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < PREFIX; i++) v = (v << 8) | (b[off + i] & 0xFF);
        return v;
    }
}
