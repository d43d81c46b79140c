package org.conclave.appservice.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.conclave.appservice.txn.Transaction;
import org.conclave.appservice.txn.TransactionException;
import org.conclave.appservice.txn.TransactionLimit;
import org.conclave.appservice.config.AppserviceLimits;
import org.conclave.appservice.txn.TransactionParser;
import org.conclave.appservice.txn.TransactionProcessor;
import org.conclave.appservice.txn.TransactionTiming;
import org.conclave.appservice.txn.TransactionTiming.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Application Service API the homeserver calls (spec "Homeserver -> Application Service API"): transactions,
 * user and room-alias queries, ping, each under {@code /_matrix/app/v1} and (except ping) the legacy unprefixed path.
 * Order of checks: path (404), method (405), body size (413; Vert.x reads bodies before any other handler), homeserver
 * token (401/403), body content (400; 413 beyond {@code appservice.max_transaction_values}); a request that fails a
 * check reaches nothing behind it. Refused transaction bodies are counted by the limit they exceeded
 * ({@link TransactionProcessor#refused}).
 */
public final class AsApi {
    private static final Logger LOG = LoggerFactory.getLogger(AsApi.class);
    public static final String PREFIX = "/_matrix/app/v1";
    static final List<String> PREFIXES = List.of(PREFIX, "");
    /** Marks success in {@link #respondLater}: answered 200 with an empty object. */
    private static final MatrixError OK = new MatrixError(200, null, null);
    /** The request's {@link TransactionTiming}, in the routing context's data. */
    private static final String TIMING = "conclave.timing";
    /** The W3C header that carries a transaction's phases to the homeserver (and the flood tests' homeserver). */
    static final String SERVER_TIMING = "Server-Timing";
    private static final MatrixError NO_SUCH_USER = new MatrixError(404, MatrixError.NOT_FOUND, "No such user");

    private final HsTokenAuth auth;
    private final TransactionProcessor processor;
    private final UserQueryHandler users;
    private final Consumer<String> pings;
    private final AppserviceLimits limits;

    /**
     * @param pings told the {@code transaction_id} of every authenticated ping (null when absent)
     * @param limits the largest and deepest transaction body, the deepest event and longest number accepted
     */
    public AsApi(HsTokenAuth auth, TransactionProcessor processor, UserQueryHandler users, Consumer<String> pings,
            AppserviceLimits limits) {
        this.auth = auth;
        this.processor = processor;
        this.users = users;
        this.pings = pings;
        this.limits = limits;
    }

    /** Adds the AS API's routes (call before the router's catch-all). */
    public void mount(Router router) {
        for (String prefix : PREFIXES) {
            String transactions = prefix + "/transactions/:txnId";
            // The token first, on a route of its own (Vert.x wants a route's body handler first): a stranger must
            // not make us buffer a body of max_transaction_kib. The router keeps the request paused until then.
            router.put(transactions).handler(this::arrived).handler(this::authenticate);
            router.put(transactions).handler(body()).handler(this::transaction)
                    .failureHandler(this::transactionFailed);
            router.route(transactions).handler(MatrixError.WRONG_METHOD::send);
            String userQuery = prefix + "/users/:userId";
            router.get(userQuery).handler(this::authenticate).handler(this::user);
            router.route(userQuery).handler(MatrixError.WRONG_METHOD::send);
            String roomQuery = prefix + "/rooms/:roomAlias";
            router.get(roomQuery).handler(this::authenticate).handler(this::room);
            router.route(roomQuery).handler(MatrixError.WRONG_METHOD::send);
        }
        router.post(PREFIX + "/ping").handler(this::authenticate);
        router.post(PREFIX + "/ping").handler(body()).handler(this::ping);
        router.route(PREFIX + "/ping").handler(MatrixError.WRONG_METHOD::send);
    }

    private Handler<RoutingContext> body() {
        return BodyHandler.create(false).setBodyLimit(limits.maxTransactionBytes());
    }

    private void authenticate(RoutingContext ctx) {
        HsTokenAuth.Result result = auth.check(ctx.request().headers().getAll("Authorization"),
                ctx.queryParam("access_token"));
        switch (result) {
            case OK -> ctx.next();
            case MISSING -> MatrixError.NO_TOKEN.send(ctx);
            case WRONG -> {
                // The path only: the query may hold the (wrong) token.
                LOG.warn("rejected a {} {} with a wrong homeserver token", ctx.request().method(),
                        ctx.request().path());
                MatrixError.BAD_TOKEN.send(ctx);
            }
        }
    }

    /** A transaction's request arrived: its timing starts (before the token check and the body). */
    private void arrived(RoutingContext ctx) {
        ctx.put(TIMING, processor.arrival());
        ctx.next();
    }

    /** A body over {@code max_transaction_kib} (Vert.x's 413, after the token was checked): counted, named. */
    private void transactionFailed(RoutingContext ctx) {
        if (ctx.statusCode() != 413) {
            ctx.next();
            return;
        }
        processor.refused(TransactionLimit.MAX_TRANSACTION_KIB);
        LOG.warn("refused transaction {}: larger than appservice.max_transaction_kib", ctx.pathParam("txnId"));
        new MatrixError(413, MatrixError.TOO_LARGE, "The transaction is larger than this appservice's"
                + " appservice.max_transaction_kib (" + limits.maxTransactionKib() + " KiB)").send(ctx);
    }

    private void transaction(RoutingContext ctx) {
        String txnId = ctx.pathParam("txnId");
        TransactionTiming timing = ctx.get(TIMING);
        timing.mark(Phase.READ, processor.now());
        Transaction txn;
        try {
            txn = TransactionParser.parse(txnId, ctx.body().buffer(), limits);
            timing.mark(Phase.PARSE, processor.now());
        } catch (TransactionException e) {
            processor.refused(e.limit());
            LOG.warn("rejected transaction {}: {}", txnId, e.getMessage());
            new MatrixError(e.status(), e.errcode(), e.getMessage()).send(ctx);
            return;
        }
        respondLater(ctx, processor.submit(txn, timing).map(v -> OK), timing::serverTiming, failure -> {
            LOG.error("transaction {} could not be recorded; the homeserver will retry it: {}", txnId,
                    failure.toString());
            return new MatrixError(500, MatrixError.UNKNOWN, "Transaction not processed; retry later");
        });
        ctx.addEndHandler(ended -> {
            if (ended.succeeded() && ctx.response().getStatusCode() == 200) processor.answered(txn, timing);
        });
    }

    private void user(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        Future<Boolean> exists;
        try {
            exists = users.userExists(userId);
        } catch (RuntimeException e) {
            exists = Future.failedFuture(e);
        }
        respondLater(ctx, exists.map(ok -> ok ? OK : NO_SUCH_USER), null, failure -> {
            LOG.warn("user query for {} failed: {}", userId, failure.toString());
            return NO_SUCH_USER;
        });
    }

    private void room(RoutingContext ctx) {
        // Conclave owns no room aliases.
        new MatrixError(404, MatrixError.NOT_FOUND, "No such room alias").send(ctx);
    }

    private void ping(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        Object body;
        try {
            if (raw == null || raw.length() == 0) throw new DecodeException("empty");
            body = Json.decodeValue(raw);
        } catch (DecodeException e) {
            new MatrixError(400, MatrixError.NOT_JSON, "Body is not JSON").send(ctx);
            return;
        }
        if (!(body instanceof JsonObject ping)
                || (ping.containsKey("transaction_id") && !(ping.getValue("transaction_id") instanceof String))) {
            new MatrixError(400, MatrixError.BAD_JSON, "Body must be an object with a string transaction_id")
                    .send(ctx);
            return;
        }
        pings.accept(ping.getString("transaction_id"));
        ApiServer.sendJson(ctx, 200, new JsonObject());
    }

    /**
     * Sends the outcome of asynchronous work on the request's own event loop (null error = 200 {}).
     *
     * @param serverTiming the 200's {@code Server-Timing} header, read once the work is done; null: none
     */
    private static void respondLater(RoutingContext ctx, Future<MatrixError> work, Supplier<String> serverTiming,
            Function<Throwable, MatrixError> failure) {
        Context requestContext = Vertx.currentContext();
        work.onComplete(ar -> requestContext.runOnContext(v -> {
            MatrixError error = ar.succeeded() ? ar.result() : failure.apply(ar.cause());
            if (error == OK) {
                if (serverTiming != null) ctx.response().putHeader(SERVER_TIMING, serverTiming.get());
                ApiServer.sendJson(ctx, 200, new JsonObject());
            } else {
                error.send(ctx);
            }
        }));
    }
}
