package org.conclave.appservice.ops.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import org.conclave.cluster.placement.ClusterControl;
import org.conclave.cluster.placement.NodeView;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU nodes of a cluster, on an appservice's admin API (docs/operators.md, "Running a cluster"): their load as
 * their heartbeats tell it and what this appservice placed on each; draining one (no new conference goes there,
 * running ones go on) and ending that drain. Mounted behind {@link AdminApi}'s token check.
 */
final class NodesApi {
    private static final Logger LOG = LoggerFactory.getLogger(NodesApi.class);

    private final ClusterControl placement;

    NodesApi(ClusterControl placement) {
        this.placement = placement;
    }

    void mount(Router router) {
        router.get(AdminApi.PREFIX + "/nodes").handler(ctx -> Future.fromCompletionStage(placement.nodes())
                .onComplete(ar -> {
                    if (ar.failed()) {
                        AdminApi.fail(ctx, ar.cause());
                        return;
                    }
                    JsonArray list = new JsonArray();
                    ar.result().forEach(n -> list.add(json(n)));
                    AdminApi.ok(ctx, new JsonObject().put("nodes", list));
                }));
        router.post(AdminApi.PREFIX + "/nodes/:name/drain").handler(ctx -> drain(ctx, true));
        router.delete(AdminApi.PREFIX + "/nodes/:name/drain").handler(ctx -> drain(ctx, false));
    }

    private void drain(RoutingContext ctx, boolean draining) {
        String name = ctx.pathParam("name");
        Future.fromCompletionStage(placement.setDraining(name, draining))
                .compose(x -> Future.fromCompletionStage(placement.nodes()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Throwable t = ar.cause() instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : ar.cause();
                        if (t instanceof SfuException e && e.reason() == FailureReason.NOT_FOUND) {
                            AdminApi.notFound(ctx, e.getMessage());
                        } else {
                            AdminApi.fail(ctx, t);
                        }
                        return;
                    }
                    LOG.info("admin: node {} {}", name, draining ? "draining: no new conference goes there"
                            : "no longer draining");
                    ar.result().stream().filter(n -> n.load().node().equals(name)).findFirst()
                            .ifPresentOrElse(n -> AdminApi.ok(ctx, json(n)),
                                    () -> AdminApi.notFound(ctx, "no node " + name));
                });
    }

    private static JsonObject json(NodeView n) {
        return new JsonObject().put("name", n.load().node()).put("alive", n.alive())
                .put("draining", n.load().draining()).put("endpoints", n.load().endpoints())
                .put("conferences", n.load().conferences()).put("max_endpoints", n.load().maxEndpoints())
                .put("busy_ratio", Math.round(n.load().busyRatio() * 1000) / 1000.0)
                .put("heard_ms_ago", n.heardMsAgo()).put("placed_endpoints", n.placedEndpoints())
                .put("placed_conferences", new JsonArray(n.placedConferences()));
    }
}
