package dev.denoiser.websocket;

import dev.denoiser.config.Setting;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.http.BearerAuth;
import dev.denoiser.http.ConnectionGuard;
import dev.denoiser.http.HttpErrors;
import dev.denoiser.http.HttpVerticle;
import dev.denoiser.http.RouteContributor;
import dev.denoiser.source.CodecPool;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts {@code GET /v1/stream}, the WebSocket endpoint. Before the upgrade it checks the bearer
 * token (401), the origin (403) and the connection limit (503), answering refusals as the JSON
 * errors of the HTTP API. After the upgrade it checks the query parameters ({@link StreamParams}; a
 * bad one closes with 1008) and hands the socket to a {@link StreamSession}. When the HTTP server
 * shuts down, every session answers what it accepted and closes with 1001.
 */
public final class StreamEndpoint implements RouteContributor {
  public static final String PATH = HttpVerticle.STREAM_PATH;
  private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoint.class);
  private final ServiceContext svc;
  private final StreamLimits limits;
  private final OriginPolicy origins;
  private final BearerAuth auth;
  private final StreamMetrics metrics;
  private final AtomicLong ids = new AtomicLong();
  private volatile CodecPool codecs;

  public StreamEndpoint(ServiceContext svc) {
    this.svc = svc;
    this.limits = StreamLimits.from(svc.settings());
    this.origins =
        new OriginPolicy(
            svc.settings().getString(Setting.STREAM_ALLOWED_ORIGINS),
            svc.settings().getString(Setting.HTTP_PUBLIC_URL));
    this.auth = new BearerAuth(svc.settings().getString(Setting.AUTH_TOKEN));
    this.metrics = new StreamMetrics(svc.metrics());
  }

  @Override
  public synchronized void mount(Vertx vertx, Router router) {
    if (codecs == null) {
      codecs = CodecPool.of(vertx, svc.settings(), svc.metrics().registry());
    }
    router.get(PATH).handler(ctx -> upgrade(vertx, ctx));
  }

  private void upgrade(Vertx vertx, RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      refuse(
          ctx,
          "not_websocket",
          ErrorCode.BAD_REQUEST,
          PATH + " is a WebSocket endpoint; open it with a WebSocket client");
      return;
    }
    if (!auth.allows(req.getHeader("Authorization"), req.getParam("access_token"))) {
      refuse(
          ctx,
          "unauthorized",
          ErrorCode.UNAUTHORIZED,
          "a valid bearer token is required (Authorization header or ?access_token=)");
      return;
    }
    String origin = req.getHeader("Origin");
    if (!origins.allows(origin)) {
      refuse(
          ctx,
          "origin",
          ErrorCode.FORBIDDEN,
          "origin '" + origin + "' is not allowed (http.publicUrl, stream.allowedOrigins)");
      return;
    }
    if (metrics.open().incrementAndGet() > limits.maxConnections()) {
      metrics.open().decrementAndGet();
      refuse(
          ctx,
          "connection_limit",
          ErrorCode.OVERLOADED,
          "the server already has "
              + limits.maxConnections()
              + " WebSocket connections open (stream.maxConnections); retry later");
      return;
    }
    MultiMap query = req.params();
    Runnable free = ConnectionGuard.upgrading(ctx);
    req.toWebSocket()
        .onSuccess(ws -> open(vertx, ws, query, free))
        .onFailure(
            e -> {
              free.run();
              metrics.open().decrementAndGet();
              LOG.debug("WebSocket upgrade failed: {}", e.toString());
            });
  }

  private void open(Vertx vertx, ServerWebSocket ws, MultiMap query, Runnable free) {
    if (ws.isClosed()) {
      free.run();
      metrics.open().decrementAndGet(); // the client left during the handshake
      return;
    }
    metrics.opened();
    String streamId = "ws-" + ids.incrementAndGet();
    StreamParams params;
    try {
      params = StreamParams.parse(query, svc.registry(), svc.gate(), limits);
    } catch (DenoiserException e) {
      ws.closeHandler(
          v -> {
            free.run();
            metrics.open().decrementAndGet();
          });
      new Closer(ws, metrics).fail(Closer.POLICY_VIOLATION, e.code(), e.getMessage());
      return;
    }
    StreamSession session =
        new StreamSession(
            vertx,
            ws,
            params,
            svc,
            limits,
            metrics,
            streamId,
            codecs,
            svc.settings().getLong(Setting.STREAM_IDLE_TIMEOUT_MS));
    ws.closeHandler(
        v -> {
          free.run();
          session.markClosed();
          metrics.open().decrementAndGet();
          LOG.debug("{} closed ({} {})", streamId, ws.closeStatusCode(), ws.closeReason());
        });
    ws.shutdownHandler(v -> session.goAway());
    LOG.debug("{} open: {}", streamId, params);
  }

  private void refuse(RoutingContext ctx, String reason, ErrorCode code, String message) {
    metrics.refused(reason);
    HttpErrors.send(ctx, code, message);
  }
}
