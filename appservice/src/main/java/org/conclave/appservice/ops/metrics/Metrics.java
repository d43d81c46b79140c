package org.conclave.appservice.ops.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The process's one Prometheus registry: JVM and process meters, Vert.x's own (HTTP server and client), and what
 * {@link SfuMetrics} and {@link AppserviceMetrics} register. Scraped through the admin listener's {@code /metrics}.
 */
public final class Metrics implements AutoCloseable {
    /** The text exposition format Prometheus scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Log events by level: ERROR lines are the "internal errors" a soak watches (docs/reliability.md). */
    private final LogbackMetrics logEvents = new LogbackMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        logEvents.bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** A Vert.x instance whose HTTP servers and clients record into this registry. */
    public Vertx newVertx() {
        return vertxBuilder(new VertxOptions()).build();
    }

    /** A builder of such an instance with {@code options} (their metrics options are set here); clustered or not. */
    public VertxBuilder vertxBuilder(VertxOptions options) {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true)
                .setJvmMetricsEnabled(false); // bound above, once
        return Vertx.builder().with(options.setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry));
    }

    @Override
    public void close() {
        logEvents.close();
        gc.close();
        registry.close();
    }
}
