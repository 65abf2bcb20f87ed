package dev.denoiser.trainer;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.http.HttpErrors;
import dev.denoiser.http.RouteContributor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The small HTTP server of the {@code trainer} command (no inference): the admin API,
 * {@code GET /v2/health/live}, {@code GET /v2/health/ready} (200 once the trainer is up and the
 * models topic, if any, is read to its end) and {@code GET /metrics} (Prometheus), on
 * {@code http.host}:{@code http.port}.
 */
public final class TrainerHttpVerticle extends VerticleBase {
  private final Settings settings;
  private final MeterRegistry meters;
  private final RouteContributor admin;
  private final BooleanSupplier ready;
  private HttpServer server;

  public TrainerHttpVerticle(Settings settings, MeterRegistry meters, RouteContributor admin, BooleanSupplier ready) {
    this.settings = settings;
    this.meters = meters;
    this.admin = admin;
    this.ready = ready;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
    if (meters instanceof PrometheusMeterRegistry prom) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prom));
    }
    router.get("/v2/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("live", true)));
    router.get("/v2/health/ready").handler(ctx -> {
      boolean ok = ready.getAsBoolean();
      json(ctx, ok ? 200 : 503, new JsonObject().put("ready", ok));
    });
    admin.mount(vertx, router);
    router.route().failureHandler(HttpErrors::handleFailure);
    router.route().last().handler(ctx -> ctx.fail(404));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.getString(Setting.HTTP_HOST))
        .setPort(settings.getInt(Setting.HTTP_PORT))).requestHandler(router);
    return server.listen();
  }

  public int port() {
    return server.actualPort();
  }

  private static void json(io.vertx.ext.web.RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(settings.getLong(Setting.HTTP_SHUTDOWN_GRACE_MS), TimeUnit.MILLISECONDS);
  }
}
