package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.conclave.tests.call.SdkCaller.Media;
import org.conclave.tests.call.SdkCaller.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant who stays while others come and go, with matrix-js-sdk in Chromium: an m-line never leaves a session,
 * so the SFU gives the next visitor's audio and video the idle m-lines the last visitor left (docs/protocol.md,
 * "During the call"). Chromium fires {@code track} again for them with the new stream, the SDK makes a new feed, and
 * the stayer's session keeps the same number of m-lines however many people visited — without the reuse it grew by
 * two per visitor until the answer outgrew {@code sfu.sdp_max_media_sections} (found by the hour-long soak).
 */
class SdkComeAndGoTest {
    private static final Logger LOG = LoggerFactory.getLogger(SdkComeAndGoTest.class);
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);
    private static final int FRAMES = 10;
    private static final int PACKETS = 20;
    private static final int VISITS = 3;

    @TempDir
    Path dir;

    @Test
    void visitorsComingAndGoingReuseTheStayersMediaLinesAndAreDecoded() throws Exception {
        try (SdkConference conf = SdkConference.start(dir, "alice")) {
            SdkCaller alice = conf.join("alice", Transport.ROOM);
            SdkCaller visitor = conf.join("bob", Transport.TO_DEVICE_ROOM_ID);
            alice.place(conf.room, Media.SMALL);
            Integer lines = null;
            for (int visit = 0; visit < VISITS; visit++) {
                visitor.place(conf.room, Media.SMALL);
                JsonObject seen = alice.awaitMedia(List.of(visitor), "m.usermedia", FRAMES, PACKETS, MEDIA_TIMEOUT);
                visitor.awaitMedia(List.of(alice), "m.usermedia", FRAMES, PACKETS, MEDIA_TIMEOUT);
                int now = seen.getInteger("transceivers");
                LOG.info("[measure] visit {} ({}): alice decodes the visitor; her session has {} m-lines", visit + 1,
                        visitor.userId, now);
                if (lines == null) lines = now;
                assertThat(now).as("alice's m-lines at visit %d (the first visit made %d)", visit + 1, lines)
                        .isEqualTo(lines);
                visitor.hangup();
                visitor.awaitEnded(CallRig.TIMEOUT);
                conf.rig.awaitEndpointCount(1, CallRig.TIMEOUT);
                // The SFU's offer that turns the visitor's lines idle must be answered before they can be reused.
                alice.awaitStatus(s -> s.getInteger("idleLines") >= 2, "the visitor's m-lines idle", CallRig.TIMEOUT);
                if (visit + 1 < VISITS) visitor = conf.joinOnPageOf(visitor, "visitor" + (visit + 2),
                        Transport.TO_DEVICE_ROOM_ID);
            }
            JsonObject end = alice.status();
            assertThat(end.getString("state")).isEqualTo("connected");
            assertThat(end.getJsonArray("errors")).as("SDK call errors at alice").isEmpty();
            assertThat(conf.botHangups()).as("the bot's hangups").isEmpty();
            assertThat(conf.rig.server.sfu().packetStats().internalErrors()).isZero();
        }
    }
}
