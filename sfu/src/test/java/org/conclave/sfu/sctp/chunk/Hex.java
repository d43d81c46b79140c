package org.conclave.sfu.sctp.chunk;

/** Test helper: bytes from spaced hex ("13 88 13 88"), and back. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        String s = hex.replaceAll("[\\s|]", "");
        if (s.length() % 2 != 0) throw new IllegalArgumentException("odd hex length: " + hex);
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    public static String string(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    /** A packet from its common header and chunk bytes, with a correct CRC32c. */
    public static byte[] packet(int vtag, String chunksHex) {
        byte[] chunks = bytes(chunksHex);
        byte[] p = new byte[SctpPacket.HEADER_LENGTH + chunks.length];
        SctpPacket.writeHeader(p, 0, 5000, 5000, vtag);
        System.arraycopy(chunks, 0, p, SctpPacket.HEADER_LENGTH, chunks.length);
        SctpPacket.seal(p, 0, p.length);
        return p;
    }
}
