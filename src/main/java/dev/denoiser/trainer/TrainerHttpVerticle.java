package dev.denoiser.trainer;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.http.BearerAuth;
import dev.denoiser.http.ConnectionGuard;
import dev.denoiser.http.EdgeGuard;
import dev.denoiser.http.EdgeMetrics;
import dev.denoiser.http.RouteContributor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The small HTTP server of the {@code trainer} command (no inference): the admin API, {@code GET
 * /v2/health/live}, {@code GET /v2/health/ready} (200 once the trainer is up and the models topic,
 * if any, is read to its end) and {@code GET /metrics} (Prometheus, with the token), on {@code
 * http.host}:{@code http.port}, behind the same edge as the serving HTTP server (token before any
 * body, timeouts, per-client connection cap, 404/405).
 */
public final class TrainerHttpVerticle extends VerticleBase {
  private final Settings settings;
  private final MeterRegistry meters;
  private final RouteContributor admin;
  private final BooleanSupplier ready;
  private HttpServer server;
  private ConnectionGuard connections;

  public TrainerHttpVerticle(
      Settings settings, MeterRegistry meters, RouteContributor admin, BooleanSupplier ready) {
    this.settings = settings;
    this.meters = meters;
    this.admin = admin;
    this.ready = ready;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    EdgeMetrics edge = new EdgeMetrics(meters);
    connections = new ConnectionGuard(vertx, settings, edge);
    new EdgeGuard(
            new BearerAuth(settings.getString(Setting.AUTH_TOKEN)), edge, connections, Set.of())
        .mountFirst(router, 1 << 20);
    if (meters instanceof PrometheusMeterRegistry prom) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prom));
    }
    router
        .get("/v2/health/live")
        .handler(ctx -> json(ctx, 200, new JsonObject().put("live", true)));
    router
        .get("/v2/health/ready")
        .handler(
            ctx -> {
              boolean ok = ready.getAsBoolean();
              json(ctx, ok ? 200 : 503, new JsonObject().put("ready", ok));
            });
    admin.mount(vertx, router);
    EdgeGuard.mountLast(router);
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(settings.getString(Setting.HTTP_HOST))
                .setPort(settings.getInt(Setting.HTTP_PORT))
                .setIdleTimeout(Math.max(0, settings.getInt(Setting.HTTP_IDLE_TIMEOUT_MS)))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // HTTP/1.x only: with h2c detection a connection exists for Vert.x only once its
                // first
                // bytes arrive, which would hide silent connections from the connection guard
                .setHttp2ClearTextEnabled(false));
    server.requestHandler(connections.install(server, router));
    return server.listen();
  }

  public int port() {
    return server.actualPort();
  }

  private static void json(io.vertx.ext.web.RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  @Override
  public Future<?> stop() {
    if (connections != null) {
      connections.stop();
    }
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(settings.getLong(Setting.HTTP_SHUTDOWN_GRACE_MS), TimeUnit.MILLISECONDS);
  }
}
