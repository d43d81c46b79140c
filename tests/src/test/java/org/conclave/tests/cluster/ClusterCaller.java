package org.conclave.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.tests.call.MatrixCall;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.client.AudioSender;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * One call of a Matrix user to the bot from a {@link JavaPeer} sending tagged audio: invite through the
 * {@link MatrixCallBridge}, ICE/DTLS/SRTP with whichever SFU node the appservice placed it on, answers to the bot's
 * re-offers. A call again is a new {@code ClusterCaller} (new call id, new peer), as a client does it.
 */
final class ClusterCaller implements EndpointListener, AutoCloseable {
    final ScriptedClient user;
    final JavaPeer peer;
    final MatrixCall call;
    private AudioSender audio;

    ClusterCaller(MatrixCallBridge bridge, ScriptedClient user, String conferenceRoom) throws Exception {
        this.user = user;
        this.peer = new JavaPeer();
        String device = "DEV_" + user.userId().substring(1, user.userId().indexOf(':')).toUpperCase(Locale.ROOT);
        this.call = bridge.open(user, device, conferenceRoom, this);
    }

    /** Packets of audio each way that count as hearing each other. */
    static final long AUDIO = 25;

    /** A new call of {@code user} into {@code room}, connected; kept in {@code callers} to be closed at the end. */
    static ClusterCaller join(ClusterRig rig, List<ClusterCaller> callers, ScriptedClient user, String room)
            throws Exception {
        ClusterCaller caller = new ClusterCaller(rig.bridge, user, room);
        callers.add(caller);
        return caller.connect(ClusterRig.TIMEOUT);
    }

    static void hearEachOther(ClusterCaller x, ClusterCaller y) {
        ClusterRig.await(x.user.userId() + " and " + y.user.userId() + " hear each other", ClusterRig.TIMEOUT,
                () -> x.audioFrom(y) > AUDIO && y.audioFrom(x) > AUDIO);
    }

    /** Invite, ICE/DTLS/SRTP with the node, then audio every 20 ms. */
    ClusterCaller connect(Duration timeout) throws Exception {
        String answer = call.offer(peer.offer()).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        peer.connect(answer);
        audio = new AudioSender(peer);
        return this;
    }

    long audioFrom(ClusterCaller other) {
        return peer.audioPacketsFrom(other.peer);
    }

    /** The bot's m.call.hangup of this call. */
    JsonObject awaitHangup(Duration timeout) throws InterruptedException {
        return call.awaitBotEvent("m.call.hangup", timeout);
    }

    /**
     * The bot's hang-up of a call whose node failed: {@code ice_failed} and the words saying so and to call again.
     * Returns its homeserver timestamp minus {@code sinceMs} (the wall clock of the failure).
     */
    long awaitNodeFailedHangup(long sinceMs) throws InterruptedException {
        JsonObject hangup = awaitHangup(Duration.ofSeconds(15));
        JsonObject content = hangup.getJsonObject("content");
        assertThat(content.getString("reason")).as(user.userId()).isEqualTo("ice_failed");
        assertThat(content.getString("org.conclave.reason")).as(user.userId())
                .contains("node your call was on failed").contains("Call again");
        return hangup.getLong("origin_server_ts") - sinceMs;
    }

    long botEvents(String type) {
        return call.botEvents().stream().filter(e -> e.getString("type").equals(type)).count();
    }

    @Override
    public void onOffer(String endpointId, String sdpOffer) {
        call.answer(peer.answerTo(sdpOffer));
    }

    @Override
    public void close() {
        if (audio != null) audio.close();
        peer.close();
    }
}
