package org.conclave.tests.e2ee;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RTP packetization as aiortc 1.4 does it (checked byte for byte against its output on every frame of the corpus):
 * VP8 with a payload descriptor of X, I and the picture id (7 bits below 128, else 15; S on the first packet)
 * in packets of at most 1300
 * bytes; H264 split at start codes into NAL units, runs of small ones aggregated in STAP-A (at most 9), large ones in
 * FU-A fragments of balanced size, the rest as single NAL units. Used to packetize encrypted frames exactly as the
 * plaintext ones were.
 */
final class Packetizer {
    static final int PACKET_MAX = 1300;
    private static final int FU_A_HEADER = 2;
    private static final int STAP_A_HEADER = 1;
    private static final int LENGTH_FIELD = 2;

    private Packetizer() {}

    static List<byte[]> vp8(byte[] frame, int pictureId) {
        List<byte[]> out = new ArrayList<>();
        byte[] descriptor = pictureId < 128 ? new byte[] {(byte) 0x90, (byte) 0x80, (byte) pictureId}
                : new byte[] {(byte) 0x90, (byte) 0x80, (byte) (0x80 | (pictureId >> 8)), (byte) pictureId};
        for (int pos = 0; pos < frame.length; ) {
            int size = Math.min(frame.length - pos, PACKET_MAX - descriptor.length);
            byte[] p = new byte[descriptor.length + size];
            System.arraycopy(descriptor, 0, p, 0, descriptor.length);
            System.arraycopy(frame, pos, p, descriptor.length, size);
            out.add(p);
            descriptor[0] = (byte) 0x80;
            pos += size;
        }
        return out;
    }

    /** The picture id of aiortc's VP8 descriptor (7 or 15 bits). */
    static int vp8PictureId(byte[] firstPacket) {
        return (firstPacket[2] & 0x80) == 0 ? firstPacket[2]
                : ((firstPacket[2] & 0x7F) << 8) | (firstPacket[3] & 0xFF);
    }

    static List<byte[]> h264(byte[] annexB) {
        List<byte[]> nals = split(annexB);
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < nals.size()) {
            byte[] nal = nals.get(i);
            if (nal.length > PACKET_MAX) {
                out.addAll(fuA(nal));
                i++;
                continue;
            }
            // STAP-A: aggregate while they fit (at most 9); a lone NAL unit goes as it is.
            int available = PACKET_MAX - STAP_A_HEADER;
            int header = 24 | (nal[0] & 0xE0);
            List<byte[]> taken = new ArrayList<>();
            int j = i;
            while (j < nals.size() && nals.get(j).length <= available && taken.size() < 9) {
                byte[] n = nals.get(j);
                header |= n[0] & 0x80;
                int nri = n[0] & 0x60;
                if ((header & 0x60) < nri) header = (header & 0x9F) | nri;
                available -= LENGTH_FIELD + n.length;
                taken.add(n);
                j++;
            }
            if (taken.size() <= 1) {
                out.add(nal); // alone: as a single NAL unit
                i++;
                continue;
            }
            int len = STAP_A_HEADER;
            for (byte[] n : taken) len += LENGTH_FIELD + n.length;
            byte[] p = new byte[len];
            p[0] = (byte) header;
            int at = 1;
            for (byte[] n : taken) {
                p[at++] = (byte) (n.length >> 8);
                p[at++] = (byte) n.length;
                System.arraycopy(n, 0, p, at, n.length);
                at += n.length;
            }
            out.add(p);
            i = j;
        }
        return out;
    }

    private static List<byte[]> fuA(byte[] nal) {
        int available = PACKET_MAX - FU_A_HEADER;
        int payload = nal.length - 1;
        int packets = (payload + available - 1) / available;
        int larger = payload % packets;
        int size = payload / packets;
        int indicator = (nal[0] & 0xE0) | 28;
        int type = nal[0] & 0x1F;
        List<byte[]> out = new ArrayList<>();
        int offset = 1;
        boolean first = true;
        while (offset < nal.length) {
            int n = larger-- > 0 ? size + 1 : size;
            int fu = type | (first ? 0x80 : 0) | (offset + n == nal.length ? 0x40 : 0);
            byte[] p = new byte[2 + n];
            p[0] = (byte) indicator;
            p[1] = (byte) fu;
            System.arraycopy(nal, offset, p, 2, n);
            out.add(p);
            offset += n;
            first = false;
        }
        return out;
    }

    /** NAL units between 00 00 01 start codes (a 4-byte start code's leading zero is not part of the unit before). */
    static List<byte[]> split(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int i = find(b, 0);
        while (i >= 0) {
            int start = i + 3;
            int next = find(b, start);
            if (next < 0) {
                out.add(Arrays.copyOfRange(b, start, b.length));
                break;
            }
            out.add(Arrays.copyOfRange(b, start, b[next - 1] == 0 ? next - 1 : next));
            i = next;
        }
        return out;
    }

    private static int find(byte[] b, int from) {
        for (int i = from; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) return i;
        }
        return -1;
    }
}
