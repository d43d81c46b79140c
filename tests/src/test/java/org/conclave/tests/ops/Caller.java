package org.conclave.tests.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.tests.call.MatrixCall;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.client.AudioSender;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * A Matrix user calling the bot from a {@link JavaPeer} that sends tagged audio: places the call through the
 * {@link MatrixCallBridge}, answers the bot's re-offers, and records what the bot did to the call.
 */
final class Caller implements EndpointListener, AutoCloseable {
    final ScriptedClient user;
    final JavaPeer peer;
    final MatrixCall call;
    private AudioSender audio;
    private final List<String> events = new ArrayList<>();

    Caller(MatrixCallBridge bridge, ScriptedClient user, String conferenceRoom) throws Exception {
        this.user = user;
        this.peer = new JavaPeer();
        String device = "DEV_" + user.userId().substring(1, user.userId().indexOf(':')).toUpperCase(Locale.ROOT);
        this.call = bridge.open(user, device, conferenceRoom, this);
    }

    /** Invite; the bot's answer SDP, or an exception (SfuException inside) when the bot refuses. */
    String invite() throws Exception {
        return call.offer(peer.offer()).toCompletableFuture().get(OpsRig.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Invite, ICE/DTLS/SRTP with the SFU, then audio every 20 ms. */
    Caller connect() throws Exception {
        peer.connect(invite());
        audio = new AudioSender(peer);
        return this;
    }

    /** Audio packets this caller sent so far (0 before {@link #connect}). */
    long audioSent() {
        return audio == null ? 0 : audio.sent();
    }

    long audioFrom(Caller other) {
        return peer.audioPacketsFrom(other.peer);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void onOffer(String endpointId, String sdpOffer) {
        record("offer");
        call.answer(peer.answerTo(sdpOffer));
    }

    @Override
    public void onFailed(String endpointId, FailureReason reason, String detail) {
        record("failed:" + reason);
    }

    @Override
    public void onClosed(String endpointId) {
        record("closed");
    }

    private synchronized void record(String event) {
        events.add(event);
        notifyAll();
    }

    synchronized void await(String event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!events.contains(event)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no " + event + " within " + timeout + "; events " + events);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        if (audio != null) audio.close();
        peer.close(); // the bridge stops following the call when the rig closes

    }
}
