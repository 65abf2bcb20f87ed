package dev.denoiser.http;

import dev.denoiser.config.Setting;
import dev.denoiser.source.CodecPool;
import dev.denoiser.source.ServiceContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the {@code /v1} REST API, the KServe v2 protocol, {@code /metrics} for
 * Prometheus, and whatever the {@link RouteContributor}s mount (WebSocket stream, web page, admin
 * API). On undeploy it stops accepting connections and lets in-flight requests finish, up to {@code
 * http.shutdownGraceMillis}.
 *
 * <p>The service deploys {@code http.instances} of it, each on its own event loop; Vert.x shares
 * the port between them and hands each new connection to one in turn. Their shared state (the
 * per-client connection counts, the byte budget, the WebSocket count) is thread-safe.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  private final ServiceContext svc;
  private final List<RouteContributor> contributors;
  private final int port;
  private HttpServer server;
  private CodecPool codecs;
  private ConnectionGuard connections;
  private volatile Thread eventLoop;

  /** The WebSocket route, which checks the token itself (header or {@code ?access_token=}). */
  public static final String STREAM_PATH = "/v1/stream";

  public HttpVerticle(ServiceContext svc, List<RouteContributor> contributors) {
    this(svc, contributors, Integer.MIN_VALUE);
  }

  /**
   * An instance that listens on {@code port} rather than {@code http.port}: -1 is Vert.x's shared
   * random port, one free port for every instance that asks for it.
   */
  public HttpVerticle(ServiceContext svc, List<RouteContributor> contributors, int port) {
    this.svc = svc;
    this.contributors = List.copyOf(contributors);
    this.port = port;
  }

  /** {@code http.instances}, or the number of cores for 0. */
  public static int instances(ServiceContext svc) {
    int n = svc.settings().getInt(Setting.HTTP_INSTANCES);
    return n > 0 ? n : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread();
    codecs = CodecPool.of(vertx, svc.settings(), svc.metrics().registry());
    EdgeMetrics edge = new EdgeMetrics(svc.metrics().registry());
    connections = new ConnectionGuard(vertx, svc.settings(), edge);
    Router router = router(edge);
    HttpServerOptions opts =
        new HttpServerOptions()
            .setIdleTimeout(Math.max(0, svc.settings().getInt(Setting.HTTP_IDLE_TIMEOUT_MS)))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // HTTP/1.x only: with h2c detection a connection exists for Vert.x only once its first
            // bytes arrive, which would hide silent connections from the connection guard
            .setHttp2ClearTextEnabled(false)
            .setHost(svc.settings().getString(Setting.HTTP_HOST))
            .setPort(port != Integer.MIN_VALUE ? port : svc.settings().getInt(Setting.HTTP_PORT))
            .setCompressionSupported(false)
            .setMaxWebSocketMessageSize(
                Math.toIntExact(
                    Math.min(
                        Integer.MAX_VALUE, svc.settings().getLong(Setting.HTTP_MAX_BODY_BYTES))))
            // twice the stream limit, so the stream endpoint sees (and answers 1009 to) most
            // oversized
            // messages itself; a bigger single frame gets Netty's own 1009 before it is buffered
            .setMaxWebSocketFrameSize(
                Math.toIntExact(
                    Math.min(
                        Integer.MAX_VALUE,
                        2 * svc.settings().getLong(Setting.STREAM_MAX_MESSAGE_BYTES))));
    server = vertx.createHttpServer(opts);
    server.requestHandler(connections.install(server, router));
    return server.listen().onSuccess(s -> LOG.debug("HTTP listening on {}", s.actualPort()));
  }

  /** The event-loop thread this instance runs on (null before it starts). */
  public Thread eventLoop() {
    return eventLoop;
  }

  /** Connections this instance was handed. */
  public long connectionsAccepted() {
    return connections == null ? 0 : connections.accepted();
  }

  /** The port actually bound (useful with http.port=0). */
  public int port() {
    return server.actualPort();
  }

  Router router(EdgeMetrics edge) {
    Router router = Router.router(vertx);
    router.route().handler(this::refuseWhileDraining);
    BearerAuth auth = new BearerAuth(svc.settings().getString(Setting.AUTH_TOKEN));
    new EdgeGuard(auth, edge, connections, Set.of(STREAM_PATH))
        .mountFirst(
            router,
            svc.settings().getLong(Setting.HTTP_MAX_BODY_BYTES),
            // the body's bytes are taken from the in-flight budget before it is buffered
            new BodyBudget(svc));
    router.get("/metrics").handler(metricsHandler());
    new KServeApi(svc, codecs).mount(router, auth);
    router.route("/v1/models*").handler(auth);
    new DenoiseApi(svc, codecs).mount(router);
    contributors.forEach(c -> c.mount(vertx, router));
    EdgeGuard.mountLast(router);
    return router;
  }

  /**
   * Once a shutdown began, new requests (except health and metrics) get 503 SHUTTING_DOWN with
   * Retry-After and the connection is closed after the answer, so clients go to another replica;
   * requests already accepted run to the end.
   */
  private void refuseWhileDraining(io.vertx.ext.web.RoutingContext ctx) {
    String path = ctx.request().path();
    if (!svc.metrics().health().draining()
        || path.startsWith("/v2/health")
        || path.equals("/metrics")) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Connection", "close");
    HttpErrors.send(
        ctx,
        dev.denoiser.error.ErrorCode.SHUTTING_DOWN,
        "the service is shutting down; retry on another replica");
  }

  private io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> metricsHandler() {
    if (svc.metrics().registry() instanceof PrometheusMeterRegistry prom) {
      return PrometheusScrapingHandler.create(prom);
    }
    return ctx -> ctx.response().setStatusCode(404).end("metrics are not enabled\n");
  }

  @Override
  public Future<?> stop() {
    long grace = svc.settings().getLong(Setting.HTTP_SHUTDOWN_GRACE_MS);
    if (connections != null) {
      connections.stop();
    }
    Future<Void> down =
        server == null ? Future.succeededFuture() : server.shutdown(grace, TimeUnit.MILLISECONDS);
    return down.eventually(() -> codecs == null ? Future.succeededFuture() : codecs.close());
  }
}
