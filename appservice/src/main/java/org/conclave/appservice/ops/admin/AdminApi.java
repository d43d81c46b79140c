package org.conclave.appservice.ops.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.conclave.appservice.http.HsTokenAuth;
import org.conclave.cluster.placement.ClusterControl;
import org.conclave.sfu.Sfu;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.e2ee.E2eeEndpointStats;
import org.conclave.sfu.conference.ConferenceSummary;
import org.conclave.sfu.ops.EndpointDirectory;
import org.conclave.sfu.room.RosterEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /admin/v1} (docs/operators.md, "Admin API"): conferences with their participants, ending
 * a conference, disconnecting a participant, draining the node, the effective configuration. Every call needs
 * {@code Authorization: Bearer <admin.token>}; without it (or with an empty {@code admin.token}) the answer is 401 and
 * nothing behind the check runs.
 */
public final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    public static final String PREFIX = "/admin/v1";
    /** What a participant's client is told when an administrator ends its call. */
    static final String ENDED_BY_ADMIN = "ended by the server's administrator";

    private final HsTokenAuth auth;
    private final Sfu sfu;
    private final JsonObject config;
    private final NodesApi nodes;

    /** @param token admin.token; empty turns the API off (every call 401) */
    public AdminApi(String token, Sfu sfu, JsonObject effectiveConfig) {
        this(token, sfu, effectiveConfig, null);
    }

    /**
     * @param sfu null when this process runs no SFU (the appservice of a cluster)
     * @param placement null unless this process places calls on the nodes of a cluster
     */
    public AdminApi(String token, Sfu sfu, JsonObject effectiveConfig, ClusterControl placement) {
        this.auth = token.isEmpty() ? null : new HsTokenAuth(token);
        this.sfu = sfu;
        this.config = effectiveConfig.copy();
        this.nodes = placement == null ? null : new NodesApi(placement);
    }

    public void mount(Router router) {
        router.route(PREFIX + "/*").handler(this::authenticate);
        router.get(PREFIX + "/config").handler(ctx -> ok(ctx, config));
        if (nodes != null) nodes.mount(router);
        if (sfu == null) {
            router.route(PREFIX + "/*").handler(ctx -> notFound(ctx, "This process runs no SFU (cluster.role: "
                    + "appservice): conferences live on the SFU nodes. GET " + PREFIX + "/nodes lists them; each "
                    + "node's own admin API lists and ends its conferences."));
            return;
        }
        router.get(PREFIX + "/conferences").handler(ctx -> withE2ee(summaries()).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            JsonArray list = new JsonArray();
            ar.result().forEach(list::add);
            ok(ctx, new JsonObject().put("conferences", list).put("draining", sfu.operations().draining()));
        }));
        router.get(PREFIX + "/conferences/:id").handler(ctx -> withE2ee(summaries().map(all -> all.stream()
                .filter(c -> c.id().equals(ctx.pathParam("id"))).toList())).onComplete(ar -> {
                    if (ar.failed()) fail(ctx, ar.cause());
                    else if (ar.result().isEmpty()) notFound(ctx, "no conference " + ctx.pathParam("id")
                            + " on this node");
                    else ok(ctx, ar.result().get(0));
                }));
        router.delete(PREFIX + "/conferences/:id").handler(this::endConference);
        router.delete(PREFIX + "/endpoints/:id").handler(this::disconnect);
        router.get(PREFIX + "/drain").handler(this::drainStatus);
        router.post(PREFIX + "/drain").handler(ctx -> setDraining(ctx, true));
        router.delete(PREFIX + "/drain").handler(ctx -> setDraining(ctx, false));
    }

    private void authenticate(RoutingContext ctx) {
        if (auth == null) {
            unauthorized(ctx, "The admin API is off: set admin.token (CONCLAVE_ADMIN_TOKEN) to use it.");
            return;
        }
        if (auth.check(ctx.request().headers().getAll("Authorization"), List.of()) != HsTokenAuth.Result.OK) {
            LOG.warn("refused an admin call {} {} without the right token", ctx.request().method(), ctx.request().path());
            unauthorized(ctx, "This call needs the header Authorization: Bearer <admin.token>.");
            return;
        }
        ctx.next();
    }

    private Future<List<ConferenceSummary>> summaries() {
        return Future.fromCompletionStage(sfu.conferences().conferenceSummaries());
    }

    private Future<Optional<ConferenceSummary>> conference(String id) {
        return summaries().map(list -> list.stream().filter(c -> c.id().equals(id)).findFirst());
    }

    private void endConference(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        conference(id).compose(found -> {
            if (found.isEmpty()) return Future.succeededFuture(-1);
            List<String> endpoints = found.get().roster().stream().map(RosterEntry::id).toList();
            LOG.info("admin: ending conference {} ({} endpoints)", id, endpoints.size());
            return Future.all(endpoints.stream().map(e -> Future.fromCompletionStage(
                    sfu.control().close(e, ENDED_BY_ADMIN, CloseCause.OPERATOR))).toList()).map(endpoints.size());
        }).onComplete(ar -> {
            if (ar.failed()) fail(ctx, ar.cause());
            else if (ar.result() < 0) notFound(ctx, "no conference " + id + " on this node");
            else ok(ctx, new JsonObject().put("conference_id", id).put("closed_endpoints", ar.result()));
        });
    }

    private void disconnect(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        EndpointDirectory.Entry entry = sfu.operations().directory().get(id);
        if (entry == null) {
            notFound(ctx, "no endpoint " + id + " on this node");
            return;
        }
        LOG.info("admin: disconnecting endpoint {} ({}) of conference {}", id, entry.participantId(),
                entry.conferenceId());
        Future.fromCompletionStage(sfu.control().close(id, ENDED_BY_ADMIN, CloseCause.OPERATOR)).onComplete(ar -> {
            if (ar.failed()) fail(ctx, ar.cause());
            else ok(ctx, new JsonObject().put("endpoint_id", id).put("participant", entry.participantId())
                    .put("conference_id", entry.conferenceId()));
        });
    }

    private void drainStatus(RoutingContext ctx) {
        summaries().onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            ok(ctx, new JsonObject().put("draining", sfu.operations().draining())
                    .put("conferences", ar.result().size())
                    .put("endpoints", ar.result().stream().mapToInt(c -> c.roster().size()).sum()));
        });
    }

    private void setDraining(RoutingContext ctx, boolean draining) {
        if (sfu.operations().draining() != draining) {
            LOG.info("admin: {}", draining ? "draining: new endpoints are refused, running conferences go on"
                    : "drain ended: new endpoints are accepted again");
        }
        sfu.operations().setDraining(draining);
        drainStatus(ctx);
    }

    /** The conferences as JSON, with what the E2EE check did to each participant (conferences that require it). */
    private Future<List<JsonObject>> withE2ee(Future<List<ConferenceSummary>> conferences) {
        Future<List<E2eeEndpointStats>> e2ee = Future.fromCompletionStage(sfu.e2eeStats());
        return Future.all(conferences, e2ee).map(done -> {
            Map<String, E2eeEndpointStats> byEndpoint = new HashMap<>();
            for (E2eeEndpointStats s : e2ee.result()) byEndpoint.put(s.endpointId(), s);
            return conferences.result().stream().map(c -> json(c, byEndpoint)).toList();
        });
    }

    private static JsonObject json(ConferenceSummary c, Map<String, E2eeEndpointStats> e2ee) {
        JsonArray participants = new JsonArray();
        long framesRefused = 0;
        long packetsRefused = 0;
        int streamsHeld = 0;
        for (RosterEntry p : c.roster()) {
            JsonObject entry = new JsonObject().put("endpoint_id", p.id()).put("participant", p.participant())
                    .put("role", p.role().name().toLowerCase(java.util.Locale.ROOT)).put("waiting", p.waiting())
                    .put("muted_by_host", p.muted()).put("hand_raised", p.handPosition() > 0)
                    .put("spotlight", p.spotlight()).put("speaking", p.speaking());
            E2eeEndpointStats s = e2ee.get(p.id());
            if (s != null) {
                entry.put("e2ee", new JsonObject().put("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                        .put("frames_forwarded", s.framesForwarded()).put("frames_refused", s.framesRefused())
                        .put("packets_refused", s.packetsRefused()).put("streams_held", s.streamsHeld())
                        .put("holds", s.holds()));
                framesRefused += s.framesRefused();
                packetsRefused += s.packetsRefused();
                streamsHeld += s.streamsHeld();
            }
            participants.add(entry);
        }
        JsonObject out = new JsonObject().put("id", c.id()).put("require_e2ee", c.requireE2ee())
                .put("locked", c.locked()).put("participants", participants);
        if (c.requireE2ee()) {
            out.put("e2ee", new JsonObject().put("frames_refused", framesRefused)
                    .put("packets_refused", packetsRefused).put("streams_held", streamsHeld));
        }
        return out;
    }

    static void ok(RoutingContext ctx, JsonObject body) {
        send(ctx, 200, body);
    }

    static void notFound(RoutingContext ctx, String error) {
        send(ctx, 404, new JsonObject().put("errcode", "M_NOT_FOUND").put("error", error));
    }

    private static void unauthorized(RoutingContext ctx, String error) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"conclave-admin\"");
        send(ctx, 401, new JsonObject().put("errcode", "M_UNAUTHORIZED").put("error", error));
    }

    static void fail(RoutingContext ctx, Throwable t) {
        LOG.warn("admin call {} {} failed", ctx.request().method(), ctx.request().path(), t);
        send(ctx, 500, new JsonObject().put("errcode", "M_UNKNOWN").put("error", String.valueOf(t.getMessage())));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
    }
}
