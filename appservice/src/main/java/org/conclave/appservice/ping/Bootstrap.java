package org.conclave.appservice.ping;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.appservice.intent.AppserviceClient;
import org.conclave.appservice.intent.MatrixHttpException;
import org.conclave.appservice.intent.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the appservice does with the homeserver at start-up, in the background: ping it (waiting for it as long as it
 * is unreachable, since the appservice may start first), then register the appservice's own user, set its display
 * name and make sure its device exists (to-device calls are addressed to it). The set-up is tried again, with a
 * doubling wait, until the homeserver accepts it (it may not have loaded the registration yet). Every problem is
 * logged with its diagnosis; nothing here stops the server.
 */
public final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    /** Tries while the homeserver answers but cannot reach us: it may still be starting its appservice senders. */
    static final int PING_TRIES_WHEN_ANSWERING = 5;

    /**
     * @param ping the last ping's result
     * @param botReady the appservice's user exists and has its display name after the first try (later tries go on
     *     in the background)
     */
    public record Result(PingResult ping, boolean botReady) {}

    private final Vertx vertx;
    private final AppserviceClient client;
    private final PingResult.Setup setup;
    private final String displayName;
    private final String deviceId;
    private final RetryPolicy waits;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong pings = new AtomicLong();
    private volatile String lastPingId;

    /**
     * @param deviceId the bot's device, to which clients send to-device call signalling
     * @param waits only its delays are used (doubling, capped), between pings and between set-up tries
     */
    public Bootstrap(Vertx vertx, AppserviceClient client, PingResult.Setup setup, String displayName,
            String deviceId, RetryPolicy waits) {
        this.vertx = vertx;
        this.client = client;
        this.setup = setup;
        this.displayName = displayName;
        this.deviceId = deviceId;
        this.waits = waits;
    }

    public Future<Result> run() {
        Promise<PingResult> pinged = Promise.promise();
        ping(1, pinged);
        return pinged.future().compose(ping -> setUpBot().map(ready -> new Result(ping, ready)));
    }

    /** Stops waiting for the homeserver (on shutdown). */
    public void stop() {
        stopped.set(true);
    }

    /** Called by the AS API for every ping the homeserver sends us. */
    public void pingReceived(String transactionId) {
        if (transactionId != null && transactionId.equals(lastPingId)) {
            LOG.debug("the homeserver called our ping endpoint for {}", transactionId);
        }
    }

    private void ping(int attempt, Promise<PingResult> result) {
        if (stopped.get()) {
            result.tryComplete(PingResult.unreachable(new IllegalStateException("stopped")));
            return;
        }
        String id = "conclave_ping_" + pings.incrementAndGet();
        lastPingId = id;
        client.ping(setup.asId(), id)
                .map(PingResult::of)
                .otherwise(PingResult::unreachable)
                .onComplete(ar -> {
                    PingResult ping = ar.result();
                    boolean again = switch (ping.outcome()) {
                        case HOMESERVER_UNREACHABLE -> true;
                        case APPSERVICE_UNREACHABLE, APPSERVICE_ERROR, UNEXPECTED ->
                                attempt < PING_TRIES_WHEN_ANSWERING;
                        default -> false;
                    };
                    if (ping.ok()) {
                        LOG.info("Homeserver connection works: {}", ping.explain(setup));
                    } else if (ping.outcome() == PingOutcome.NOT_SUPPORTED) {
                        // An older homeserver, not a fault: one quiet line.
                        LOG.info("Homeserver connection not checked: {}", ping.explain(setup));
                    } else if (again) {
                        // Powers of two only: an absent homeserver must not flood the log.
                        if (Integer.bitCount(attempt) == 1) {
                            LOG.warn("Homeserver connection problem (try {}): {}", attempt, ping.explain(setup));
                        }
                    } else {
                        LOG.error("Homeserver connection problem: {}", ping.explain(setup));
                    }
                    if (!again || stopped.get()) {
                        result.tryComplete(ping);
                        return;
                    }
                    vertx.setTimer(waits.backoff(attempt), t -> ping(attempt + 1, result));
                });
    }

    private Future<Boolean> setUpBot() {
        Promise<Boolean> first = Promise.promise();
        setUpBot(1, first);
        return first.future();
    }

    /** One try of the set-up; on failure the next after a doubling wait, until it works or {@link #stop}. */
    private void setUpBot(int attempt, Promise<Boolean> first) {
        if (stopped.get()) {
            first.tryComplete(false);
            return;
        }
        String bot = client.bot().userId();
        client.bot().ensureRegistered()
                .compose(v -> client.bot().setDisplayName(displayName))
                .compose(v -> ensureDevice())
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        LOG.info("Appservice user {} is registered, display name \"{}\", device {}{}", bot,
                                displayName, deviceId, attempt > 1 ? " (after " + attempt + " tries)" : "");
                        first.tryComplete(true);
                        return;
                    }
                    Throwable e = ar.cause();
                    String why = e.getMessage();
                    if (e instanceof MatrixHttpException m && (m.status() == 401 || m.status() == 403)) {
                        why = new PingResult(PingOutcome.AS_TOKEN_UNKNOWN, -1, m.status(), m.errcode(), 0, null)
                                .explain(setup);
                    }
                    long wait = waits.backoff(attempt);
                    // Powers of two only: a homeserver that never accepts us must not flood the log.
                    if (Integer.bitCount(attempt) == 1) {
                        LOG.error("Could not set up the appservice user {} (try {}; trying again in {} ms): {}", bot,
                                attempt, wait, why);
                    }
                    first.tryComplete(false);
                    if (!stopped.get()) vertx.setTimer(wait, t -> setUpBot(attempt + 1, first));
                });
    }

    /**
     * The bot's device. A homeserver that refuses appservice logins for good (an unknown login type, an endpoint it
     * lacks) is reported once and not asked again: calls in rooms still work, to-device calls cannot reach the bot.
     */
    private Future<Void> ensureDevice() {
        return client.bot().ensureDevice(deviceId, displayName).recover(e -> {
            if (e instanceof MatrixHttpException m && m.status() / 100 == 4 && m.status() != 401 && m.status() != 403
                    && m.status() != 429) {
                LOG.warn("The homeserver did not create the device {} of {} (HTTP {} {}): clients cannot reach it "
                        + "with to-device call signalling (calls in rooms work)", deviceId, client.bot().userId(),
                        m.status(), m.errcode());
                return Future.succeededFuture();
            }
            return Future.failedFuture(e);
        });
    }
}
