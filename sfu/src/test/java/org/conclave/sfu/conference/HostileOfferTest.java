package org.conclave.sfu.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.conclave.sfu.config.SignalingConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.sdp.Answer;
import org.conclave.sfu.sdp.SdpLimit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Offers shaped to cost the SFU (or, through it, every other participant) as much as possible, through the whole
 * answer path: thousands of lines, dozens of m-lines, long ids, many layers. Each is refused with a sentence naming
 * the limit, or accepted with what it publishes bounded. Each case's time is printed (for docs/reliability.md), not
 * asserted: speed is the benchmark's business.
 */
class HostileOfferTest {
    private static final String HEAD = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=msid-semantic: WMS", "") + "\r\n";
    private static final java.util.Map<String, Double> MILLIS = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static final List<String> CANDIDATES = List.of("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");
    private final Negotiation negotiation = new Negotiation("sha-256 "
            + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");

    /** One bundled m-line; {@code extra} lines go before its end. */
    private static String audio(String mid, String direction, String extra) {
        return String.join("\r\n", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:clnt",
                "a=ice-pwd:clientpasswordclientpassword", "a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:"
                        + "66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99", "a=setup:actpass",
                "a=mid:" + mid, "a=" + direction, "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
                "a=msid:stream-" + mid + " track-" + mid) + "\r\n" + extra;
    }

    private static String video(String mid, String extra) {
        return audio(mid, "sendonly", extra)
                .replace("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=video 9 UDP/TLS/RTP/SAVPF 96")
                .replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:96 VP8/90000");
    }

    private static String offer(int lines, int sending, Supplier<String> extra) {
        StringBuilder mids = new StringBuilder("a=group:BUNDLE");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            mids.append(' ').append(i);
            body.append(audio(Integer.toString(i), i < sending ? "sendrecv" : "recvonly", i == 0 ? extra.get() : ""));
        }
        return HEAD + mids + "\r\n" + body;
    }

    static Stream<Arguments> offers() {
        return Stream.of(
                Arguments.of("9 sending m-lines", offer(9, 9, () -> ""), "one participant may send at most 8"),
                Arguments.of("8 sending and 56 receiving m-lines", offer(64, 8, () -> ""), "8 sources"),
                Arguments.of("65 m-lines", offer(65, 1, () -> ""), "more than 64 m-sections"),
                Arguments.of("1025 candidates in one m-line", offer(1, 1, () -> ("a=candidate:1 1 udp 1 10.0.0.1 9 typ"
                        + " host\r\n").repeat(1025)), "more than 1024 attributes"),
                Arguments.of("10,000 unknown lines", offer(1, 1, () -> "x=y\r\n".repeat(10_000)), "1 sources"),
                Arguments.of("128 KiB and one character", offer(1, 1, () -> "a=z:" + "z".repeat(128 * 1024) + "\r\n"),
                        "the limit is 131072"),
                Arguments.of("a 100,000-character msid", offer(1, 1, () -> "").replace("stream-0",
                        "s".repeat(100_000)), "longer than 64 characters"),
                Arguments.of("a 50,000-character mid", offer(1, 1, () -> "").replace("a=mid:0", "a=mid:"
                        + "m".repeat(50_000)).replace("BUNDLE 0", "BUNDLE " + "m".repeat(50_000)), "1 sources"),
                Arguments.of("1000 a=ssrc lines", offer(1, 1, () -> {
                    StringBuilder s = new StringBuilder();
                    for (int i = 1; i <= 1000; i++) s.append("a=ssrc:").append(i).append(" cname:x\r\n");
                    return s.toString();
                }), "1 sources"),
                Arguments.of("5 simulcast rids", HEAD + "a=group:BUNDLE v\r\n" + video("v", "a=rid:a send\r\na=rid:b "
                        + "send\r\na=rid:c send\r\na=rid:d send\r\na=rid:e send\r\na=simulcast:send a;b;c;d;e\r\n"),
                        "offers 5 simulcast layers; at most 4"),
                Arguments.of("a SIM group of 5", HEAD + "a=group:BUNDLE v\r\n" + video("v", "a=ssrc-group:SIM 1 2 3 4 "
                        + "5\r\n"), "offers 5 simulcast layers; at most 4"),
                Arguments.of("4 simulcast rids", HEAD + "a=group:BUNDLE v\r\n" + video("v", "a=rid:a send\r\na=rid:b "
                        + "send\r\na=rid:c send\r\na=rid:d send\r\na=simulcast:send a;b;c;d\r\n"), "1 sources"));
    }

    /** {@code expected}: "N sources" when accepted, else a piece of the refusal's sentence. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("offers")
    void hostileOffersAreRefusedNamingTheLimitOrAcceptedBounded(String name, String sdp, String expected) {
        long start = System.nanoTime();
        try {
            if (expected.endsWith(" sources")) {
                Answer answer = negotiation.answer(sdp, negotiation.local(IceCredentials.random(), 1, 1, CANDIDATES), null,
                        List.of());
                List<Source> sources = Negotiation.sources("ep", "mallory", answer.negotiated(), new SecureRandom(),
                        List.of());
                assertThat(sources.size() + " sources").isEqualTo(expected);
                assertThat(answer.sdp().length()).as("the answer").isLessThan(200_000);
            } else {
                assertThatThrownBy(() -> negotiation.answer(sdp, negotiation.local(IceCredentials.random(), 1, 1, CANDIDATES),
                        null, List.of()))
                        .isInstanceOf(SfuException.class).hasMessageContaining(expected)
                        .satisfies(e -> assertThat(((SfuException) e).reason()).isEqualTo(FailureReason.BAD_SDP));
            }
        } finally {
            MILLIS.put(name, (System.nanoTime() - start) / 1e6);
        }
    }

    @Test
    void thePublishingLimitsAreTheConfiguredOnes() {
        Negotiation strict = new Negotiation("sha-256 "
                + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
                new SignalingConfig(5_000, 30_000, 30_000, 2, 1, 131_072, 64, 1024));
        assertThatThrownBy(() -> strict.answer(offer(3, 3, () -> ""), strict.local(IceCredentials.random(), 1, 1, CANDIDATES), null,
                List.of())).hasMessageContaining("one participant may send at most 2");
        assertThatThrownBy(() -> strict.answer(HEAD + "a=group:BUNDLE v\r\n" + video("v", "a=ssrc-group:SIM 1 2\r\n"),
                strict.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of()))
                .hasMessageContaining("offers 2 simulcast layers; at most 1");
        assertThat(strict.answer(offer(3, 2, () -> ""), strict.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of())
                .sdp()).contains("m=audio");
    }

    /** The sfu.sdp_* keys reach the parser of clients' offers: one beyond is refused naming the key and the limit. */
    @Test
    void theSdpLimitsAreTheConfiguredOnes() {
        Negotiation strict = new Negotiation("sha-256 "
                + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
                new SignalingConfig(5_000, 30_000, 30_000, 2, 4, 8192, 3, 64));
        assertThat(strict.answer(offer(3, 2, () -> ""), strict.local(IceCredentials.random(), 1, 1, CANDIDATES), null,
                List.of()).sdp()).contains("m=audio");
        assertThatThrownBy(() -> strict.answer(offer(4, 1, () -> ""), strict.local(IceCredentials.random(), 1, 1,
                CANDIDATES), null, List.of()))
                .isInstanceOfSatisfying(SfuException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FailureReason.BAD_SDP);
                    assertThat(e.sdpLimit()).isEqualTo(SdpLimit.SDP_MAX_MEDIA_SECTIONS);
                })
                .hasMessageContaining("more than 3 m-sections (this server's sfu.sdp_max_media_sections)");
        assertThatThrownBy(() -> strict.answer(offer(1, 1, () -> "a=z\r\n".repeat(64 - 9 + 1)),
                strict.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of()))
                .isInstanceOfSatisfying(SfuException.class,
                        e -> assertThat(e.sdpLimit()).isEqualTo(SdpLimit.SDP_MAX_ATTRIBUTES_PER_SECTION))
                .hasMessageContaining("more than 64 attributes in one section");
        assertThatThrownBy(() -> strict.answer(offer(1, 1, () -> "a=z:" + "z".repeat(8192) + "\r\n"),
                strict.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of()))
                .isInstanceOfSatisfying(SfuException.class,
                        e -> assertThat(e.sdpLimit()).isEqualTo(SdpLimit.SDP_MAX_CHARS))
                .hasMessageContaining("the limit is 8192 (this server's sfu.sdp_max_chars)");
    }

    /** The figure is about the limits, not about the JIT: the answer path runs warm. */
    @BeforeAll
    static void warmUp() {
        HostileOfferTest t = new HostileOfferTest();
        String normal = offer(2, 2, () -> "");
        for (int i = 0; i < 300; i++) {
            t.negotiation.answer(normal, t.negotiation.local(IceCredentials.random(), 1, 1, CANDIDATES), null, List.of());
        }
    }

    @AfterAll
    static void report() {
        StringBuilder b = new StringBuilder("Hostile offers, time to answer or refuse (ms):");
        MILLIS.forEach((name, ms) -> b.append(String.format(java.util.Locale.ROOT, " %s %.1f;", name, ms)));
        System.out.println(b);
    }
}
