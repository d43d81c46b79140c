package org.conclave.sfu.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test SDPs under src/test/resources/org/conclave/sfu/sdp and the SFU transport the re-offer fixtures were made with. */
final class Fixtures {
    static final String FINGERPRINT = "sha-256 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:"
            + "1A:1B:1C:1D:1E:1F:20";
    static final String CANDIDATE = "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host";
    /** The transport the *-reoffer-answer.sdp fixtures answered (recorded against Chromium 156 and aiortc 1.4). */
    static final LocalTransport LOCAL = new LocalTransport("sfuU", "sfupasswordsfupassword12", FINGERPRINT,
            List.of(CANDIDATE), 42, 1);

    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) {
        return SdpParser.parse(text(name));
    }

    /** The sources of the first recorded re-offer: one audio and one video (with RTX) stream of another client. */
    static List<OutgoingSource> firstSources() {
        return List.of(
                new OutgoingSource("d1", MediaKind.AUDIO, 1111, null, "remoteA", "audioA", "cnA", true),
                new OutgoingSource("d2", MediaKind.VIDEO, 2222, 2223L, "remoteA", "videoA", "cnA", true));
    }

    /** The sources of the second recorded re-offer: d1 paused, d2 kept, d3 added. */
    static final List<OutgoingSource> LATER_SOURCES = List.of(
            new OutgoingSource("d1", MediaKind.AUDIO, 1111, null, "remoteA", "audioA", "cnA", false),
            new OutgoingSource("d2", MediaKind.VIDEO, 2222, 2223L, "remoteA", "videoA", "cnA", true),
            new OutgoingSource("d3", MediaKind.VIDEO, 3333, 3334L, "remoteB", "videoB", "cnB", true));

    /** The negotiation state of the recorded Chromium session after both re-offers were answered. */
    static NegotiationState chromiumAfterReoffers() {
        NegotiationState s = AnswerBuilder.build(parse("chromium-simulcast-offer.sdp"), LOCAL).state();
        s = OfferBuilder.applyAnswer(OfferBuilder.build(s, LOCAL, firstSources()),
                text("chromium-simulcast-reoffer-answer.sdp")).state();
        return OfferBuilder.applyAnswer(OfferBuilder.build(s, LOCAL, LATER_SOURCES),
                text("chromium-simulcast-reoffer-2-answer.sdp")).state();
    }

    /** A client's answer to our offer: every m-line accepted as offered, directions mirrored, no SSRCs of its own. */
    static SessionDescription mirroredAnswer(Offer o) {
        Fingerprint client = Fingerprint.parse("sha-256 93:71:B0:B2:7B:24:13:B1:F6:0D:94:BC:0D:6C:53:EC:BA:DC:D7:B7:79"
                + ":F7:48:5E:AC:0D:A5:44:44:7C:1F:2F");
        SessionDescription.Builder b = o.description().toBuilder().clearMedia();
        for (MediaDescription m : o.description().media()) {
            MediaDescription.Builder mb = m.toBuilder().iceUfrag("FQzz").icePwd("aCr2u7Y4MvTn1P85KUpZgN4p")
                    .clearFingerprints().addFingerprint(client).setup(Setup.ACTIVE).clearCandidates().clearSources();
            Direction d = m.direction();
            if (m.isRtp() && d != null) mb.direction(Direction.of(d.receives(), d.sends()));
            b.addMedia(mb.build());
        }
        return b.build();
    }

    /** The lines of one m-section of an SDP text, by mid. */
    static List<String> section(String sdp, String mid) {
        String[] parts = sdp.split("\r\n(?=m=)");
        for (String p : parts) {
            if (p.startsWith("m=") && p.contains("\r\na=mid:" + mid + "\r\n")) return List.of(p.split("\r\n"));
        }
        throw new AssertionError("no m-section with mid " + mid);
    }

    /** The session part (before the first m=) of an SDP text. */
    static List<String> sessionPart(String sdp) {
        return List.of(sdp.split("\r\n(?=m=)")[0].split("\r\n"));
    }
}
