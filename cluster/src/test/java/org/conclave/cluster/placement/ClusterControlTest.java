package org.conclave.cluster.placement;

import org.conclave.cluster.wire.Request;
import org.conclave.cluster.wire.Reply;
import org.conclave.cluster.wire.ControlCodec;
import org.conclave.cluster.Addresses;
import io.vertx.core.buffer.Buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.conclave.cluster.Addresses;
import org.conclave.cluster.Membership;
import org.conclave.cluster.wire.ControlCodec;
import org.conclave.cluster.wire.NodeLoad;
import org.conclave.cluster.wire.Reply;
import org.conclave.cluster.wire.Request;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Placement and failure handling through a real event bus (one non-clustered Vert.x) between {@link ClusterControl}
 * and {@link FakeNode}s, with the node timeout on an injected clock.
 */
class ClusterControlTest {
    private static final long NODE_TIMEOUT_MS = 3000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    private final AtomicLong clock = new AtomicLong();
    private final List<Consumer<String>> leftListeners = new CopyOnWriteArrayList<>();
    /** The members of the cluster as the appservice's Hazelcast sees them. */
    private final Set<String> members = ConcurrentHashMap.newKeySet();
    private ClusterControl control;
    private FakeNode a;
    private FakeNode b;

    @BeforeEach
    void start() throws Exception {
        Membership appservice = new Membership() {
            @Override
            public String localNodeId() {
                return "id-appservice";
            }

            @Override
            public boolean isMember(String clusterNodeId) {
                return members.contains(clusterNodeId);
            }

            @Override
            public void onMemberLeft(Consumer<String> listener) {
                leftListeners.add(listener);
            }
        };
        members.addAll(List.of("id-appservice", "id-node-a", "id-node-b"));
        control = ClusterControl.start(vertx, appservice, NODE_TIMEOUT_MS, FakeNode.HEARTBEAT_MS, 2000, clock::get)
                .await(5, TimeUnit.SECONDS);
        a = new FakeNode(vertx, "node-a");
        b = new FakeNode(vertx, "node-b");
        await("both nodes heard", () -> alive().size() == 2);
    }

    @AfterEach
    void stop() throws Exception {
        control.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void aNewConferenceGoesToTheLeastLoadedNodeAndItsNewcomersFollowIt() throws Exception {
        String first = allocate("!one", new Recorder());
        String second = allocate("!two", new Recorder());
        String third = allocate("!one", new Recorder());
        assertThat(first).startsWith("node-a");
        assertThat(second).as("node-a has one endpoint, node-b none").startsWith("node-b");
        assertThat(third).as("a conference stays on its node").startsWith("node-a");
        assertThat(placed("node-a")).containsExactly("!one");
        assertThat(get(control.applyOffer(third, "offer", java.util.Map.of())).sdp()).isEqualTo("answer to offer");
    }

    @Test
    void aFullNodeIsSkippedAndAFullClusterRefusesInWords() throws Exception {
        a.full = true;
        assertThat(allocate("!one", new Recorder())).startsWith("node-b");
        b.full = true;
        assertThatThrownBy(() -> allocate("!two", new Recorder())).hasCauseInstanceOf(SfuException.class)
                .cause().hasMessage(ClusterControl.NO_NODE);
        assertThat(control.counters().refusedNoNode()).isEqualTo(1);
    }

    @org.junit.jupiter.api.RepeatedTest(15)
    void aDrainedNodeTakesNoNewConferenceButItsRunningOnesGoOn() throws Exception {
        String first = allocate("!one", new Recorder());
        assertThat(first).startsWith("node-a");
        allocate("!two", new Recorder()); // node-b: now both have one endpoint
        get(control.setDraining("node-a", true));
        assertThat(allocate("!three", new Recorder())).startsWith("node-b");
        assertThat(allocate("!one", new Recorder())).as("a newcomer to a running conference").startsWith("node-a");
        get(control.setDraining("node-a", false));
        assertThat(allocate("!four", new Recorder())).startsWith("node-a");
        assertThatThrownBy(() -> get(control.setDraining("node-z", true))).cause()
                .isInstanceOf(SfuException.class).hasMessageContaining("no node node-z");
    }

    @org.junit.jupiter.api.RepeatedTest(10)
    void aSilentNodesCallsFailAndItsConferenceIsPlacedAnewOnTheNextCall() throws Exception {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        String e1 = allocate("!one", r1);
        String e2 = allocate("!one", r2);
        assertThat(e1).startsWith("node-a");
        a.close(); // no more heartbeats
        // Time moves past the timeout until node-a is declared dead: a heartbeat it sent just before closing may
        // still arrive after one jump. node-b, beating every 50 ms, may die and come back meanwhile.
        await("the calls on node-a fail", () -> {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(NODE_TIMEOUT_MS + 1));
            return r1.events.size() == 2 && r2.events.size() == 2;
        });
        // node-b alive on a heartbeat heard before the last jump would still expire at the next check.
        await("node-b heard at the new time", () -> views().stream().anyMatch(n -> n.load().node().equals("node-b")
                && n.alive() && n.heardMsAgo() < NODE_TIMEOUT_MS));
        assertThat(r1.events).containsExactly("failed " + e1 + " NODE_FAILED", "closed " + e1 + " FAILURE");
        assertThat(control.counters().endpointsLost()).isEqualTo(2);
        assertThat(allocate("!one", new Recorder())).as("placed anew").startsWith("node-b");
        assertThatThrownBy(() -> get(control.applyAnswer(e1, "answer"))).cause().isInstanceOf(SfuException.class);
        get(control.close(e1, "bye", CloseCause.CONTROL)); // a lost endpoint closes as a no-op
    }

    @Test
    void aNodeThatLeftTheClusterFailsAtOnceAndEventsReachTheirListener() throws Exception {
        Recorder r = new Recorder();
        String e = allocate("!one", r);
        a.listeners.get(e).onConnected(e);
        await("connected", () -> r.events.contains("connected " + e));
        a.close(); // gone: heard no more
        leftListeners.forEach(l -> l.accept("id-node-a"));
        await("the call fails", () -> r.events.contains("closed " + e + " FAILURE"));
        assertThat(alive()).containsExactly("node-b");
    }

    /**
     * A node the cluster removed (frozen, then resumed) whose heartbeat still gets through stays dead until it is a
     * member again: until then its requests would find no consumer.
     */
    @Test
    void aNodeRemovedFromTheClusterIsNotRevivedByItsHeartbeatsUntilItIsAMemberAgain() throws Exception {
        Recorder r = new Recorder();
        String e = allocate("!one", r);
        assertThat(e).startsWith("node-a");
        members.remove("id-node-a");
        leftListeners.forEach(l -> l.accept("id-node-a"));
        await("the call fails", () -> r.events.contains("closed " + e + " FAILURE"));
        // node-a keeps beating; this heartbeat, published before the queries below, reaches the control first.
        vertx.eventBus().publish(Addresses.HEARTBEAT, ControlCodec.encode(new NodeLoad("node-a", "id-node-a",
                Addresses.node("id-node-a"), 1, 1, 500, 0, false, Long.MAX_VALUE / 2)));
        assertThat(alive()).containsExactly("node-b");
        assertThat(allocate("!two", new Recorder())).startsWith("node-b");

        members.add("id-node-a"); // merged back into the cluster
        await("node-a alive again", () -> alive().contains("node-a"));
        assertThat(placed("node-a")).as("with nothing on it").isEmpty();
        assertThat(control.counters().nodeFailures()).as("one failure, no flapping").isEqualTo(1);
    }

    /**
     * A node heard before its consumer is known here (it merged back into the cluster and its registration is still
     * spreading) is waited for, as a slow answer is, not skipped.
     */
    @Test
    void aNodeHeardBeforeItsConsumerIsKnownIsWaitedForWithinTheRequestTimeout() throws Exception {
        a.full = true;
        b.full = true;
        members.add("id-node-c");
        vertx.eventBus().publish(Addresses.HEARTBEAT, ControlCodec.encode(new NodeLoad("node-c", "id-node-c",
                Addresses.node("id-node-c"), 0, 0, 500, 0, false, 1)));
        await("node-c alive", () -> alive().contains("node-c"));
        CountDownLatch tried = new CountDownLatch(1);
        vertx.eventBus().addOutboundInterceptor(m -> {
            if (m.message().address().equals(Addresses.node("id-node-c"))) tried.countDown();
            m.next();
        });
        var allocation = control.allocate(new AllocateRequest("!one", "@p:hs/D", Role.GUEST), new Recorder());
        assertThat(tried.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("tried node-c").isTrue();
        FakeNode c = new FakeNode(vertx, "node-c"); // its consumer comes once the first try found none
        try {
            assertThat(get(allocation).endpointId()).startsWith("node-c");
        } finally {
            c.close();
        }
    }

    /** A node still counted alive that does not answer (frozen, or its consumer gone) is skipped, not fatal. */
    @Test
    void aNodeThatDoesNotAnswerIsSkippedForTheNext() throws Exception {
        a.close(); // no consumer any more; its last heartbeat keeps it alive for the node timeout
        assertThat(alive()).containsExactlyInAnyOrder("node-a", "node-b");
        assertThat(allocate("!one", new Recorder())).as("node-a first by name, unreachable").startsWith("node-b");
        b.close();
        assertThatThrownBy(() -> allocate("!two", new Recorder())).cause().isInstanceOf(SfuException.class)
                .hasMessage(ClusterControl.NO_NODE);
    }

    /** Nobody would hang those calls up: the node closes them itself; another appservice's endpoints stay. */
    @Test
    void aNodeClosesTheEndpointsOfAnAppserviceThatLeftTheCluster() throws Exception {
        String mine = allocate("!one", new Recorder());
        Request.Allocate fromOther = new Request.Allocate(new AllocateRequest("!two", "@bob:hs/DEV", Role.GUEST,
                false), "id-other-appservice", Addresses.events("id-other-appservice"));
        String others = ((Reply.Allocated) ask(a, fromOther)).allocation().endpointId();
        a.memberLeft("id-appservice");
        await("the node closed the endpoint", () -> a.closed.contains(mine));
        assertThat(a.closeReasons.get(mine)).startsWith("CONTROL ").contains("left the cluster");
        a.memberLeft("id-unknown");
        // Answered after the node handled the leave (one context, in order): the endpoint is still there.
        assertThat(ask(a, new Request.ApplyOffer(others, "offer", java.util.Map.of())))
                .isInstanceOf(Reply.Described.class);
        assertThat(a.closed).containsExactly(mine);
    }

    /** A control call straight to a node over the event bus, as another appservice makes it. */
    private Reply ask(FakeNode node, Request request) throws Exception {
        Buffer answer = vertx.eventBus().<Buffer>request(Addresses.node(node.localNodeId()),
                ControlCodec.encode(request)).await(5, TimeUnit.SECONDS).body();
        return ControlCodec.decodeReply(answer);
    }

    @Test
    void anEventOfAnEndpointNoCallHoldsClosesItAndShutdownClosesEveryCall() throws Exception {
        Recorder r = new Recorder();
        String e = allocate("!one", r);
        EndpointListener remote = a.listeners.get(e);
        remote.onConnected("node-a-stray"); // e.g. left over from before the node was declared dead
        await("the node was told to close it", () -> a.closed.contains("node-a-stray"));

        assertThat(get(control.closeAllForShutdown("restarting"))).isEqualTo(1);
        assertThat(r.events).contains("closed " + e + " SHUTDOWN");
        await("the node closed it", () -> a.closed.contains(e));
    }

    // ---- helpers

    private String allocate(String conference, EndpointListener listener) throws Exception {
        return get(control.allocate(new AllocateRequest(conference, "@p:hs/D", Role.GUEST), listener)).endpointId();
    }

    private List<String> alive() {
        return views().stream().filter(NodeView::alive).map(n -> n.load().node()).toList();
    }

    private List<NodeView> views() {
        try {
            return get(control.nodes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> placed(String node) throws Exception {
        return get(control.nodes()).stream().filter(n -> n.load().node().equals(node)).findFirst().orElseThrow()
                .placedConferences();
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + WAIT + ": " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** What an endpoint's listener heard, as short lines. */
    static final class Recorder implements EndpointListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onConnected(String endpointId) {
            events.add("connected " + endpointId);
        }

        @Override
        public void onFailed(String endpointId, FailureReason reason, String detail) {
            events.add("failed " + endpointId + " " + reason);
        }

        @Override
        public void onClosed(String endpointId, CloseCause cause, String detail) {
            events.add("closed " + endpointId + " " + cause);
        }
    }
}
