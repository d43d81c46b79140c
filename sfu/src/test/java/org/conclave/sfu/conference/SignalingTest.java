package org.conclave.sfu.conference;

import org.conclave.sfu.codec.CodecId;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.forward.Source;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.sdp.Answer;
import org.conclave.sfu.sdp.AppliedAnswer;
import org.conclave.sfu.sdp.Direction;
import org.conclave.sfu.sdp.MediaDescription;
import org.conclave.sfu.sdp.NegotiationState;
import org.conclave.sfu.sdp.Offer;
import org.conclave.sfu.sdp.SdpParser;
import org.conclave.sfu.sdp.SdpWriter;
import org.conclave.sfu.sdp.SessionDescription;
import org.conclave.sfu.sdp.Setup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-endpoint offer/answer machine as input → output tables, with real SDP (a recorded Chromium offer, the SFU's
 * own answer and offer builders, a client that answers like a browser) and a fake clock. Each row is one event and
 * what the SFU sent or said:
 * <pre>
 * offer          the client offers (first time: its recorded offer; later: the same session again) -> answer | refused
 * connected      ICE and DTLS are up
 * add X/remove X a source X (another participant's stream) is added to / dropped from what the SFU sends
 * poll           the owner's poll after a call or on a tick -> nothing (-) or "offer vN +X -Y" (X sendonly, Y inactive)
 * answer         the client answers the latest offer -> ok | refused
 * answer-old     the client answers the offer before the latest (it was slow) -> ok | refused
 * answer-short   the client answers with an m-line missing -> refused
 * decline        the client answers the latest offer rejecting its last m-line (port 0) -> ok
 * wait N         N ms pass
 * </pre>
 */
class SignalingTest {
    private static final Duration TIMEOUT = Duration.ofMillis(5_000);
    private static final String FINGERPRINT = "sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:"
            + "FF:00:11:22:33:44:55:66:77:88:99";
    private static final IceCredentials SFU_ICE = IceCredentials.random();

    static Stream<Arguments> tables() {
        return Stream.of(
                table("the first offer waits until the endpoint is connected",
                        "offer -> answer", "add a -> -", "poll -> -", "wait 60000 -> -", "poll -> -",
                        "connected -> -", "poll -> offer v2 +a", "poll -> -"),
                table("sources known at the first answer are offered once connected",
                        "add a -> -", "offer -> answer", "poll -> -", "connected -> -", "poll -> offer v2 +a"),
                table("nothing to offer: nothing sent",
                        "offer -> answer", "connected -> -", "poll -> -", "wait 30000 -> -", "poll -> -"),
                table("never two offers out: changes wait for the answer, then go in one offer",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a",
                        "add b -> -", "poll -> -", "add c -> -", "poll -> -",
                        "answer -> ok", "poll -> offer v3 +a +b +c", "answer -> ok", "poll -> -"),
                table("an unanswered offer is made again from the latest state with a new version, backing off",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a",
                        "wait 4999 -> -", "poll -> -", "add b -> -", "wait 1 -> -", "poll -> offer v3 +a +b",
                        "wait 9999 -> -", "poll -> -", "wait 1 -> -", "poll -> offer v4 +a +b",
                        "wait 20000 -> -", "poll -> offer v5 +a +b", "wait 39999 -> -", "poll -> -",
                        "wait 1 -> -", "poll -> offer v6 +a +b", "wait 40000 -> -", "poll -> offer v7 +a +b",
                        "answer -> ok", "poll -> -", "remove a -> -", "poll -> offer v8 -a +b"),
                table("a late answer to an offer made again is refused when it no longer fits",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a",
                        "add b -> -", "wait 5000 -> -", "poll -> offer v3 +a +b", "answer-old -> refused",
                        "answer -> ok", "poll -> -"),
                table("an answer without an offer out, or missing an m-line, is refused and changes nothing",
                        "offer -> answer", "answer -> refused", "connected -> -", "add a -> -",
                        "poll -> offer v2 +a", "answer-short -> refused", "poll -> -", "answer -> ok", "poll -> -"),
                table("glare: the client's offer wins, the SFU offers again afterwards",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a",
                        "offer -> answer", "answer -> refused", "poll -> offer v4 +a", "answer -> ok"),
                table("a client offer while the SFU has nothing new needs no offer after it",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a", "answer -> ok",
                        "offer -> answer", "poll -> -", "remove a -> -", "offer -> answer", "poll -> -"),
                table("a source gone before any SDP carried it is never offered",
                        "offer -> answer", "connected -> -", "add a -> -", "remove a -> -", "poll -> -",
                        "add b -> -", "poll -> offer v2 +b"),
                table("a source gone while its offer is out is stopped by the next offer",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a", "remove a -> -",
                        "poll -> -", "answer -> ok", "poll -> offer v3 -a", "answer -> ok", "poll -> -"),
                table("a line the client declined is not offered again",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a",
                        "decline -> ok", "poll -> -", "add b -> -", "poll -> offer v3 -a +b"),
                table("a line whose source left carries the next source once the client has seen it idle",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a", "answer -> ok",
                        "remove a -> -", "poll -> offer v3 -a", "answer -> ok", "add b -> -", "poll -> offer v4 +b",
                        "answer -> ok", "poll -> -", "remove b -> -", "poll -> offer v5 -b", "answer -> ok",
                        "add c -> -", "add d -> -", "poll -> offer v6 +c +d"),
                table("a line the client has not yet seen idle is not reused",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a", "answer -> ok",
                        "remove a -> -", "add b -> -", "poll -> offer v3 -a +b", "answer -> ok",
                        "remove b -> -", "poll -> offer v4 -a -b", "answer -> ok", "add c -> -",
                        "poll -> offer v5 +c -b"),
                table("a client's own offer that shows the line idle lets it be reused",
                        "offer -> answer", "connected -> -", "add a -> -", "poll -> offer v2 +a", "answer -> ok",
                        "remove a -> -", "poll -> offer v3 -a", "answer -> ok", "offer -> answer", "add b -> -",
                        "poll -> offer v5 +b"));
    }

    private static Arguments table(String name, String... rows) {
        return Arguments.of(name, List.of(rows));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void eventsAndWhatTheSfuSends(String name, List<String> rows) {
        Harness h = new Harness();
        for (String row : rows) {
            String[] parts = row.split(" -> ");
            assertThat(h.run(parts[0])).as("%s: %s", name, row).isEqualTo(parts[1]);
        }
    }

    @org.junit.jupiter.api.Test
    void aSessionStaysTheSameSizeWhileOthersComeAndGo() {
        Harness h = new Harness();
        for (String row : List.of("offer", "connected")) h.run(row);
        for (int visit = 0; visit < 100; visit++) {
            String name = "v" + visit;
            h.run("add " + name);
            assertThat(h.run("poll")).isEqualTo("offer v" + (2 * visit + 2) + " +" + name);
            assertThat(h.run("answer")).isEqualTo("ok");
            assertThat(h.run("remove " + name)).isEqualTo("-");
            assertThat(h.run("poll")).isEqualTo("offer v" + (2 * visit + 3) + " -" + name);
            assertThat(h.run("answer")).isEqualTo("ok");
        }
        assertThat(h.downstream.list()).hasSize(1);
        assertThat(h.sent.get(h.sent.size() - 1).downstreamMids()).hasSize(1);
    }

    /** One endpoint's machine with real SDP and a client that answers like a browser. */
    private static final class Harness implements Signaling.Port {
        final FakeClock clock = new FakeClock();
        final Negotiation negotiation = new Negotiation(FINGERPRINT);
        final List<String> candidates = List.of("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");
        final Signaling machine = new Signaling(clock, TIMEOUT, this);
        final Downstreams downstream = new Downstreams();
        final List<Offer> sent = new ArrayList<>();
        String clientOffer = fixture("chromium-offer.sdp");

        String run(String event) {
            String[] e = event.split(" ");
            int before = sent.size();
            try {
                switch (e[0]) {
                    case "offer" -> {
                        Answer a = machine.answerOffer(clientOffer);
                        downstream.described(a.state().downstreamMids());
                        // the client's next offer renegotiates the session as it stands (our m-lines included)
                        clientOffer = SdpWriter.write(mirror(a.state().local(), a.state().remote(), false));
                        return "answer";
                    }
                    case "connected" -> machine.connected();
                    case "add" -> {
                        downstream.add(source(e[1]), machine.completed());
                        machine.sourcesChanged();
                    }
                    case "remove" -> {
                        if (downstream.stopSending(s -> s.trackId().equals(e[1]))) machine.sourcesChanged();
                    }
                    case "poll" -> machine.poll();
                    case "wait" -> clock.advanceMillis(Long.parseLong(e[1]));
                    case "answer", "answer-old", "answer-short", "decline" -> {
                        int which = sent.size() - (e[0].equals("answer-old") ? 2 : 1);
                        SessionDescription of = which >= 0 ? sent.get(which).description() : SdpParser.parse(clientOffer);
                        SessionDescription answer = mirror(of, null, e[0].equals("answer-short"));
                        if (e[0].equals("decline")) answer = declineLast(answer);
                        AppliedAnswer applied = machine.acceptAnswer(SdpWriter.write(answer));
                        clientOffer = SdpWriter.write(mirror(applied.state().local(), applied.state().remote(), false));
                        return "ok";
                    }
                    default -> throw new IllegalArgumentException("unknown event " + event);
                }
            } catch (SfuException refused) {
                return "refused";
            }
            return sent.size() == before ? "-" : describe(sent.get(sent.size() - 1));
        }

        /** "offer vN +a -b": the offer's version and its downstream m-lines' sources, sendonly (+) or inactive (-). */
        private String describe(Offer offer) {
            StringBuilder out = new StringBuilder("offer v" + offer.description().origin().sessionVersion());
            for (MediaDescription m : offer.description().media()) {
                if (!offer.downstreamMids().contains(m.mid())) continue;
                String source = downstream.list().stream().filter(d -> d.mid.equals(m.mid())).findFirst()
                        .orElseThrow().source.trackId();
                out.append(m.direction() == Direction.SENDONLY ? " +" : " -").append(source);
            }
            return out.toString();
        }

        private static Source source(String name) {
            return new Source("other", "@other:example.org", "0", MediaKind.AUDIO, 48000, name.hashCode() & 0xFFFFL,
                    "stream-" + name, name, "cname", Map.of(111, CodecId.opus()), Map.of(), new long[0]);
        }

        /**
         * What a browser writes for {@code of}: each m-line with the client's transport, the direction turned
         * around (as an answer) or kept from {@code asBefore} (as a new offer of the same session); {@code dropLast}
         * leaves the last m-line out.
         */
        private static SessionDescription mirror(SessionDescription of, SessionDescription asBefore, boolean dropLast) {
            SessionDescription client = SdpParser.parse(fixture("chromium-offer.sdp"));
            MediaDescription first = client.media().get(0);
            SessionDescription.Builder b = of.toBuilder().clearMedia().iceLite(false).origin(client.origin());
            int count = of.media().size() - (dropLast ? 1 : 0);
            for (int i = 0; i < count; i++) {
                MediaDescription m = of.media().get(i);
                MediaDescription.Builder mb = m.toBuilder().clearCandidates().clearSources()
                        .iceUfrag(client.iceUfragOf(first)).icePwd(client.icePwdOf(first)).clearFingerprints();
                client.fingerprintsOf(first).forEach(mb::addFingerprint);
                if (asBefore != null) {
                    mb.setup(Setup.ACTPASS).direction(asBefore.media().get(i).direction());
                    if (asBefore.media().get(i).port() == 0) mb.port(0);
                } else if (m.port() != 0) {
                    mb.setup(Setup.ACTIVE).direction(turned(m.direction()));
                }
                b.addMedia(mb.build());
            }
            return b.build();
        }

        /** The answer with its last m-line rejected (port 0), as a client that does not want that stream writes it. */
        private static SessionDescription declineLast(SessionDescription answer) {
            List<MediaDescription> media = new ArrayList<>(answer.media());
            int last = media.size() - 1;
            media.set(last, media.get(last).toBuilder().port(0).direction(Direction.INACTIVE).build());
            SessionDescription.Builder b = answer.toBuilder().clearMedia()
                    .bundle(answer.bundle().subList(0, answer.bundle().size() - 1));
            media.forEach(b::addMedia);
            return b.build();
        }

        private static Direction turned(Direction d) {
            if (d == null) return null; // m=application
            return switch (d) {
                case SENDONLY -> Direction.RECVONLY;
                case RECVONLY -> Direction.SENDONLY;
                default -> d;
            };
        }

        @Override
        public Answer answer(String sdpOffer, NegotiationState previous, long version) {
            return negotiation.answer(sdpOffer, negotiation.local(SFU_ICE, 7, version, candidates), previous, downstream.list());
        }

        @Override
        public Offer offer(NegotiationState completed, long version) {
            return negotiation.reoffer(completed, negotiation.local(SFU_ICE, 7, version, candidates), downstream.list());
        }

        @Override
        public AppliedAnswer accept(Offer offer, String sdpAnswer) {
            return negotiation.acceptAnswer(offer, sdpAnswer);
        }

        @Override
        public boolean differsFrom(NegotiationState completed) {
            return downstream.differsFrom(completed);
        }

        @Override
        public void send(Offer offer) {
            downstream.described(offer.downstreamMids());
            sent.add(offer);
        }
    }

    static String fixture(String name) {
        try (InputStream in = SignalingTest.class.getResourceAsStream("/org/conclave/sfu/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
