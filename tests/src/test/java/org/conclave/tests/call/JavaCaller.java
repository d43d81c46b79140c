package org.conclave.tests.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * A Matrix user calling the bot from the test's own {@link JavaPeer}: places the call through the
 * {@link MatrixCallBridge}, answers the bot's re-offers, and records what the bot did to the call
 * ("offer", "failed:REASON", "closed").
 */
final class JavaCaller implements EndpointListener, AutoCloseable {
    final JavaPeer peer;
    final MatrixCall call;
    private final List<String> events = new ArrayList<>();

    private JavaCaller(MatrixCallBridge bridge, ScriptedClient user, String deviceId, String conferenceRoom)
            throws Exception {
        this.peer = new JavaPeer();
        this.call = bridge.open(user, deviceId, conferenceRoom, this);
    }

    /** Opens the user's call (DM ready, nothing sent yet). */
    static JavaCaller open(MatrixCallBridge bridge, ScriptedClient user, String conferenceRoom) throws Exception {
        return new JavaCaller(bridge, user, MatrixCallBridge.deviceId(user.userId()), conferenceRoom);
    }

    /** Sends the invite and returns the bot's answer SDP; fails (SfuException inside) when the bot refuses. */
    String invite() throws Exception {
        return call.offer(peer.offer()).toCompletableFuture().get(CallRig.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Invite, then ICE, DTLS and SRTP with the SFU the answer names. */
    void connect() throws Exception {
        peer.connect(invite());
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Waits for an event recorded under that name. */
    synchronized void await(String event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!events.contains(event)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no " + event + " within " + timeout + "; events " + events);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
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

    @Override
    public void close() {
        call.stop();
        peer.close();
    }
}
