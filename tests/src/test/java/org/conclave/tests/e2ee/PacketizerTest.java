package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** aiortc's packetization, table by table (the replay also compares every corpus frame with aiortc's own packets). */
class PacketizerTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void vp8PictureIdsBelow128TakeOneByte() {
        assertThat(Packetizer.vp8(HEX.parseHex("aabb"), 5)).extracting(HEX::formatHex).containsExactly("908005aabb");
        assertThat(Packetizer.vp8(HEX.parseHex("aabb"), 300)).extracting(HEX::formatHex)
                .containsExactly("9080812caabb");
        assertThat(Packetizer.vp8PictureId(HEX.parseHex("908005aabb"))).isEqualTo(5);
        assertThat(Packetizer.vp8PictureId(HEX.parseHex("9080812caabb"))).isEqualTo(300);
        List<byte[]> big = Packetizer.vp8(new byte[3000], 1000);
        assertThat(big).hasSize(3);
        assertThat(big.get(0)[0]).isEqualTo((byte) 0x90);
        assertThat(big.get(1)[0]).isEqualTo((byte) 0x80);
    }

    @Test
    void h264AggregatesSmallNalUnitsAndFragmentsLargeOnes() {
        byte[] frame = HEX.parseHex("00000001" + "6742" + "000001" + "68ce" + "000001" + "6588" + "ff".repeat(2000));
        List<byte[]> p = Packetizer.h264(frame);
        assertThat(HEX.formatHex(p.get(0))).isEqualTo("78" + "0002" + "6742" + "0002" + "68ce");
        assertThat(p).hasSize(3); // STAP-A, then the slice in two balanced FU-A fragments
        assertThat(p.get(1)[0] & 0x1F).isEqualTo(28);
        assertThat(p.get(1)[1] & 0xFF).isEqualTo(0x85);
        assertThat(p.get(2)[1] & 0xFF).isEqualTo(0x45);
        assertThat(p.get(1).length - p.get(2).length).isBetween(0, 1);
    }
}
