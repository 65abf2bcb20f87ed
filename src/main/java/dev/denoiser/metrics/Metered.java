package dev.denoiser.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Builds a {@link Vertx} whose metrics (HTTP server, event bus, pools, JVM) go to a Prometheus
 * registry, together with the service's own meters, all scraped at {@code GET /metrics}.
 */
public final class Metered {
  private final PrometheusMeterRegistry registry;
  private final Vertx vertx;

  private Metered(PrometheusMeterRegistry registry, Vertx vertx) {
    this.registry = registry;
    this.vertx = vertx;
  }

  public static Metered create() {
    PrometheusMeterRegistry prom = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options =
        new VertxOptions()
            .setMetricsOptions(
                new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    Vertx vertx =
        Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(prom)).build();
    return new Metered(prom, vertx);
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public ServiceMetrics serviceMetrics() {
    return new ServiceMetrics(registry);
  }
}
