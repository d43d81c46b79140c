package org.conclave.sfu.rtp;

/** Test helper: bytes from spaced hex ("80 6f 12 34"), and back. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        String s = hex.replaceAll("[\\s|]", "");
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length: " + hex);
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    public static String string(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            if (i > off) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    /** {@code prefix} junk bytes, then {@code hex}, then {@code suffix} junk bytes: offsets other than 0 get tested. */
    public static byte[] embedded(int prefix, String hex, int suffix) {
        byte[] inner = bytes(hex);
        byte[] out = new byte[prefix + inner.length + suffix];
        java.util.Arrays.fill(out, (byte) 0xA5);
        System.arraycopy(inner, 0, out, prefix, inner.length);
        return out;
    }
}
