package org.conclave.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.conclave.sfu.ice.RawStun.hex;
import static org.conclave.sfu.ice.StunMessages.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.crypto.Mac;
import org.conclave.sfu.ice.StunMessage.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StunMessagesTest {
    /** RFC 5769 §2: all three vectors use this password; the request's USERNAME is "evtj:h6vY". */
    static final String RFC_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** RFC 5769 §2.1 sample request (SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MI, FINGERPRINT). */
    static final byte[] RFC_REQUEST = hex("""
            000100582112a442b7e7a701bc34d686fa87dfae
            80220010 5354554e2074657374 20636c69656e74
            00240004 6e0001ff
            80290008 932ff9b151263b36
            00060009 6576746a3a68367659202020
            00080014 9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2
            80280004 e57a3bcf""");
    /** RFC 5769 §2.2 sample IPv4 response: 192.0.2.1 port 32853. */
    static final byte[] RFC_RESPONSE_V4 = hex("""
            0101003c2112a442b7e7a701bc34d686fa87dfae
            8022000b 7465737420766563746f7220
            00200008 0001a147e112a643
            00080014 2b91f599fd9e90c38c7489f92af9ba53f06be7d7
            80280004 c07d4c96""");
    /** RFC 5769 §2.3 sample IPv6 response: 2001:db8:1234:5678:11:2233:4455:6677 port 32853. */
    static final byte[] RFC_RESPONSE_V6 = hex("""
            010100482112a442b7e7a701bc34d686fa87dfae
            8022000b 7465737420766563746f7220
            00200014 0002a1470113a9faa5d3f179bc25f4b5bed2b9d9
            00080014 a382954e4be67bf11784c97c8292c275bfe3ed41
            80280004 c8fb0b4c""");

    private final StunMessage msg = new StunMessage();

    @Test
    void parsesRfc5769Request() {
        assertThat(msg.parse(RFC_REQUEST, 0, RFC_REQUEST.length)).isEqualTo(Status.OK);
        assertThat(msg.type()).isEqualTo(BINDING_REQUEST);
        assertThat(msg.transactionIdEquals(RawStun.TX, 0)).isTrue();
        assertThat(msg.username()).isEqualTo("evtj:h6vY");
        assertThat(msg.usernameRecipientIs("evtj".getBytes())).isTrue();
        assertThat(msg.usernameRecipientIs("evt".getBytes())).isFalse();
        assertThat(msg.priority()).isEqualTo(0x6e0001ffL);
        assertThat(msg.iceControlled()).isTrue();
        assertThat(msg.iceControlling()).isFalse();
        assertThat(msg.tieBreaker()).isEqualTo(0x932ff9b151263b36L);
        assertThat(msg.useCandidate()).isFalse();
        assertThat(msg.hasFingerprint()).isTrue();
        assertThat(msg.unknownCount()).isZero();
        assertThat(msg.integrityValid(integrityMac(RFC_PASSWORD))).isTrue();
        assertThat(msg.integrityValid(integrityMac(RFC_PASSWORD + "x"))).isFalse();
        assertThat(StunMessages.localUfrag(RFC_REQUEST, 0, RFC_REQUEST.length)).isEqualTo("evtj");
    }

    @Test
    void parsesRfc5769Responses() throws Exception {
        assertThat(msg.parse(RFC_RESPONSE_V4, 0, RFC_RESPONSE_V4.length)).isEqualTo(Status.OK);
        assertThat(msg.type()).isEqualTo(BINDING_SUCCESS);
        assertThat(msg.xorMappedAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(msg.integrityValid(integrityMac(RFC_PASSWORD))).isTrue();

        assertThat(msg.parse(RFC_RESPONSE_V6, 0, RFC_RESPONSE_V6.length)).isEqualTo(Status.OK);
        assertThat(msg.xorMappedAddress()).isEqualTo(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(msg.integrityValid(integrityMac(RFC_PASSWORD))).isTrue();
        assertThat(msg.hasFingerprint()).isTrue();
    }

    /** Our MESSAGE-INTEGRITY and FINGERPRINT writer reproduces each vector's tail byte for byte. */
    @ParameterizedTest
    @MethodSource("vectors")
    void integrityAndFingerprintMatchRfc5769(byte[] vector) {
        int integrityAt = vector.length - 32;
        byte[] out = Arrays.copyOf(vector, vector.length);
        Arrays.fill(out, integrityAt, out.length, (byte) 0);
        StunMessages.writeShort(out, 2, 0);
        assertThat(finish(out, 0, integrityAt, integrityMac(RFC_PASSWORD))).isEqualTo(vector.length);
        assertThat(out).isEqualTo(vector);
    }

    static Stream<byte[]> vectors() {
        return Stream.of(RFC_REQUEST, RFC_RESPONSE_V4, RFC_RESPONSE_V6);
    }

    /** Our XOR-MAPPED-ADDRESS encoding equals the vectors' attribute (the vectors' SOFTWARE we do not write). */
    @Test
    void successResponseEncodesMappedAddressLikeRfc5769() throws Exception {
        byte[] out = new byte[MAX_RESPONSE_LENGTH];
        Mac mac = integrityMac(RFC_PASSWORD);
        int n = writeBindingSuccess(out, 0, RawStun.TX, 0, new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), mac);
        assertThat(n).isEqualTo(20 + 12 + 24 + 8);
        assertThat(Arrays.copyOfRange(out, 20, 32)).isEqualTo(Arrays.copyOfRange(RFC_RESPONSE_V4, 36, 48));

        n = writeBindingSuccess(out, 0, RawStun.TX, 0,
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mac);
        assertThat(n).isEqualTo(20 + 24 + 24 + 8);
        assertThat(Arrays.copyOfRange(out, 20, 44)).isEqualTo(Arrays.copyOfRange(RFC_RESPONSE_V6, 36, 60));
        assertThat(msg.parse(out, 0, n)).isEqualTo(Status.OK);
        assertThat(msg.type()).isEqualTo(BINDING_SUCCESS);
        assertThat(msg.integrityValid(mac)).isTrue();
        assertThat(msg.hasFingerprint()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void parseTable(String name, byte[] input, Status expected) {
        assertThat(msg.parse(input, 0, input.length)).isEqualTo(expected);
    }

    static Stream<Arguments> malformed() {
        byte[] ok = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, "abcd:efgh").signed("p");
        byte[] tampered = ok.clone();
        tampered[25] ^= 1;
        byte[] badCookie = ok.clone();
        badCookie[4] = 0x22;
        byte[] rtp = ok.clone();
        rtp[0] = (byte) 0x80;
        byte[] oddLength = ok.clone();
        oddLength[3] += 2;
        byte[] overlong = ok.clone();
        overlong[3] += 4;
        byte[] trailing = Arrays.copyOf(ok, ok.length + 7);
        return Stream.of(
                Arguments.of("valid", ok, Status.OK),
                Arguments.of("trailing bytes after the message", trailing, Status.OK),
                Arguments.of("19 bytes", Arrays.copyOf(ok, 19), Status.NOT_STUN),
                Arguments.of("empty", new byte[0], Status.NOT_STUN),
                Arguments.of("RTP first byte", rtp, Status.NOT_STUN),
                Arguments.of("wrong magic cookie", badCookie, Status.NOT_STUN),
                Arguments.of("length not a multiple of 4", oddLength, Status.NOT_STUN),
                Arguments.of("length beyond the packet", overlong, Status.NOT_STUN),
                Arguments.of("truncated packet", Arrays.copyOf(ok, ok.length - 4), Status.NOT_STUN),
                Arguments.of("tampered under fingerprint", tampered, Status.BAD_FINGERPRINT),
                Arguments.of("attribute runs past the end", withLength(
                        RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, "abcd:efgh").bytes(), 22, 13), Status.TRUNCATED_ATTRIBUTE),
                Arguments.of("attribute length 0xffff", withLength(
                        RawStun.of(BINDING_REQUEST).attr(ATTR_PRIORITY, 1, 4).bytes(), 22, 0xffff), Status.TRUNCATED_ATTRIBUTE),
                Arguments.of("MESSAGE-INTEGRITY of 19 bytes", RawStun.of(BINDING_REQUEST).attr(ATTR_MESSAGE_INTEGRITY, new byte[19]).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("PRIORITY of 3 bytes", RawStun.of(BINDING_REQUEST).attr(ATTR_PRIORITY, 1, 3).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("USE-CANDIDATE with a value", RawStun.of(BINDING_REQUEST).attr(ATTR_USE_CANDIDATE, 1, 4).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("ICE-CONTROLLING of 4 bytes", RawStun.of(BINDING_REQUEST).attr(ATTR_ICE_CONTROLLING, 1, 4).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("USERNAME of 513 bytes", RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, "a:" + "b".repeat(511)).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("XOR-MAPPED-ADDRESS IPv4 family with 16 address bytes", RawStun.of(BINDING_SUCCESS).attr(ATTR_XOR_MAPPED_ADDRESS, hex("0001a147" + "00".repeat(16))).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("XOR-MAPPED-ADDRESS family 3", RawStun.of(BINDING_SUCCESS).attr(ATTR_XOR_MAPPED_ADDRESS, hex("0003a147e112a643")).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("ERROR-CODE class 7", RawStun.of(BINDING_ERROR).attr(ATTR_ERROR_CODE, hex("00000701")).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("FINGERPRINT of 8 bytes", RawStun.of(BINDING_REQUEST).attr(ATTR_FINGERPRINT, new byte[8]).bytes(), Status.BAD_ATTRIBUTE),
                Arguments.of("wrong FINGERPRINT", RawStun.of(BINDING_REQUEST).attr(ATTR_FINGERPRINT, 1, 4).bytes(), Status.BAD_FINGERPRINT),
                Arguments.of("attribute after FINGERPRINT", attributeAfterFingerprint(), Status.ATTRIBUTE_AFTER_FINGERPRINT),
                Arguments.of("bad attribute after MESSAGE-INTEGRITY is ignored", RawStun.of(BINDING_REQUEST)
                        .attr(ATTR_MESSAGE_INTEGRITY, new byte[20]).attr(ATTR_PRIORITY, 1, 3).bytes(), Status.OK));
    }

    private static byte[] withLength(byte[] b, int at, int length) {
        StunMessages.writeShort(b, at, length);
        return b;
    }

    /** A correct FINGERPRINT (over the final header length) followed by PRIORITY. */
    private static byte[] attributeAfterFingerprint() {
        byte[] b = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, "abcd").attr(ATTR_FINGERPRINT, 0, 4)
                .attr(ATTR_PRIORITY, 1, 4).bytes();
        int fingerprintAt = 20 + 8;
        StunMessages.writeInt(b, fingerprintAt + 4, crc32(b, 0, fingerprintAt) ^ FINGERPRINT_XOR);
        return b;
    }

    @Test
    void attributesAreReadOnceAndUnknownRequiredOnesKept() {
        byte[] b = RawStun.of(BINDING_REQUEST)
                .attr(ATTR_USERNAME, "first:x").attr(ATTR_USERNAME, "second:y")
                .attr(0xC057, hex("00010000")) // Chrome's GOOG-NETWORK-INFO: comprehension-optional
                .attr(0x0030, new byte[1]).attr(0x0031, new byte[0])
                .attr(ATTR_MESSAGE_INTEGRITY, new byte[20]).attr(0x0032, new byte[0]).bytes();
        assertThat(msg.parse(b, 0, b.length)).isEqualTo(Status.OK);
        assertThat(msg.username()).isEqualTo("first:x");
        assertThat(msg.unknownCount()).isEqualTo(2);
        assertThat(new int[] {msg.unknown(0), msg.unknown(1)}).containsExactly(0x30, 0x31);
        assertThat(msg.hasFingerprint()).isFalse();
        assertThat(msg.priority()).isEqualTo(-1);
    }

    @Test
    void integrityFailsWhenAnyCoveredByteChanges() {
        Mac mac = integrityMac("secret-password-123456");
        byte[] b = RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, "abcd:efgh").attr(ATTR_PRIORITY, 7, 4).signed("secret-password-123456");
        // drop the FINGERPRINT so only MESSAGE-INTEGRITY guards the bytes
        byte[] noFp = Arrays.copyOf(b, b.length - 8);
        StunMessages.writeShort(noFp, 2, noFp.length - 20);
        assertThat(msg.parse(noFp, 0, noFp.length)).isEqualTo(Status.OK);
        assertThat(msg.integrityValid(mac)).isTrue();
        for (int i : new int[] {0, 1, 8, 19, 24, 35, noFp.length - 1}) {
            byte[] t = noFp.clone();
            t[i] ^= 0x01;
            if (msg.parse(t, 0, t.length) == Status.OK) assertThat(msg.integrityValid(mac)).as("byte %d", i).isFalse();
        }
    }

    @Test
    void localUfragLookup() {
        byte[] big = new byte[RFC_REQUEST.length + 10];
        System.arraycopy(RFC_REQUEST, 0, big, 5, RFC_REQUEST.length);
        assertThat(StunMessages.localUfrag(big, 5, RFC_REQUEST.length)).isEqualTo("evtj");
        assertThat(StunMessages.localUfrag(big, 5, RFC_REQUEST.length - 1)).isNull(); // one byte short
        assertThat(StunMessages.localUfrag(big, 4, RFC_REQUEST.length)).isNull();
        assertThat(StunMessages.localUfrag(uname("abcd"), 0, uname("abcd").length)).isNull();
        assertThat(StunMessages.localUfrag(uname(":efgh"), 0, uname(":efgh").length)).isNull();
        assertThat(StunMessages.localUfrag(uname("ab:"), 0, uname("ab:").length)).isEqualTo("ab");
        byte[] none = RawStun.of(BINDING_REQUEST).attr(ATTR_PRIORITY, 1, 4).bytes();
        assertThat(StunMessages.localUfrag(none, 0, none.length)).isNull();
        byte[] cut = withLength(RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, "abcd:efgh").bytes(), 22, 13);
        assertThat(StunMessages.localUfrag(cut, 0, cut.length)).isNull();
    }

    private static byte[] uname(String u) {
        return RawStun.of(BINDING_REQUEST).attr(ATTR_USERNAME, u).bytes();
    }

    @Test
    void looksLikeStunRejectsBadBounds() {
        assertThat(looksLikeStun(RFC_REQUEST, 0, RFC_REQUEST.length)).isTrue();
        assertThat(looksLikeStun(RFC_REQUEST, 0, RFC_REQUEST.length + 1)).isFalse();
        assertThat(looksLikeStun(RFC_REQUEST, -1, 20)).isFalse();
        assertThat(looksLikeStun(RFC_REQUEST, 100, 20)).isFalse();
        assertThat(looksLikeStun(null, 0, 20)).isFalse();
        assertThat(looksLikeStun(RFC_REQUEST, 0, 20)).isFalse(); // header promises 0x58 more bytes
    }

    @Test
    void requestRoundTrip() {
        Mac mac = integrityMac("remote-password-0123456789");
        byte[] out = new byte[256];
        int n = writeBindingRequest(out, 3, RawStun.TX, 0, "sfuufrag:client", 0x7effffffL, 0x1122334455667788L, true, mac);
        assertThat(msg.parse(out, 3, n)).isEqualTo(Status.OK);
        assertThat(msg.type()).isEqualTo(BINDING_REQUEST);
        assertThat(msg.username()).isEqualTo("sfuufrag:client");
        assertThat(msg.priority()).isEqualTo(0x7effffffL);
        assertThat(msg.iceControlling()).isTrue();
        assertThat(msg.tieBreaker()).isEqualTo(0x1122334455667788L);
        assertThat(msg.useCandidate()).isTrue();
        assertThat(msg.hasFingerprint()).isTrue();
        assertThat(msg.integrityValid(mac)).isTrue();
        assertThat(StunMessages.localUfrag(out, 3, n)).isEqualTo("sfuufrag");

        n = writeBindingRequest(out, 0, RawStun.TX, 0, "a:b", 1, 2, false, mac);
        assertThat(msg.parse(out, 0, n)).isEqualTo(Status.OK);
        assertThat(msg.useCandidate()).isFalse();
    }

    @Test
    void errorResponses() {
        Mac mac = integrityMac(RFC_PASSWORD);
        byte[] out = new byte[MAX_RESPONSE_LENGTH];
        int n = writeBindingError(out, 0, RawStun.TX, 0, ERROR_BAD_REQUEST, null, 0, null);
        assertThat(msg.parse(out, 0, n)).isEqualTo(Status.OK);
        assertThat(msg.type()).isEqualTo(BINDING_ERROR);
        assertThat(msg.errorCode()).isEqualTo(400);
        assertThat(msg.hasIntegrity()).isFalse();
        assertThat(msg.hasFingerprint()).isTrue();

        n = writeBindingError(out, 0, RawStun.TX, 0, ERROR_UNKNOWN_ATTRIBUTE, new int[] {0x30, 0x31, 0x32}, 3, mac);
        assertThat(n).isLessThanOrEqualTo(MAX_RESPONSE_LENGTH);
        assertThat(msg.parse(out, 0, n)).isEqualTo(Status.OK);
        assertThat(msg.errorCode()).isEqualTo(420);
        assertThat(msg.integrityValid(mac)).isTrue();
        int attrs = 20 + 4 + 4 + 20; // ERROR-CODE with "Unknown Attribute" padded to 20
        assertThat(readShort(out, attrs)).isEqualTo(ATTR_UNKNOWN_ATTRIBUTES);
        assertThat(readShort(out, attrs + 2)).isEqualTo(6);
        assertThat(new int[] {readShort(out, attrs + 4), readShort(out, attrs + 6), readShort(out, attrs + 8)})
                .containsExactly(0x30, 0x31, 0x32);
    }

    @Test
    void writersRefuseSmallBuffers() {
        Mac mac = integrityMac(RFC_PASSWORD);
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        assertThatThrownBy(() -> writeBindingSuccess(new byte[MAX_RESPONSE_LENGTH], 1, RawStun.TX, 0, a, mac))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writeBindingRequest(new byte[60], 0, RawStun.TX, 0, "a:b", 1, 1, true, mac))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void crc32MatchesJdk() {
        java.util.zip.CRC32 jdk = new java.util.zip.CRC32();
        jdk.update(RFC_REQUEST, 3, 50);
        assertThat(crc32(RFC_REQUEST, 3, 50)).isEqualTo((int) jdk.getValue());
    }
}
