package dev.denoiser.http;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.error.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Vert.x does not bound by itself on an HTTP/1.x connection, for one server instance (on its
 * event loop): the connections of one remote address ({@code http.maxConnectionsPerClient}, counted
 * across every server instance of the Vert.x instance; one more is closed at once), the time a
 * request's headers take ({@code http.headerTimeoutMillis}: from the connection's start, or from
 * the previous answer plus {@code http.idleTimeoutMillis} on a kept-alive connection; then the
 * connection is closed) and the time its body takes ({@code http.bodyTimeoutMillis}: then 408
 * {@code REQUEST_TIMEOUT} and the connection is closed). A periodic sweep checks the deadlines;
 * connections upgraded to WebSocket leave the sweep. Idle connections are Netty's ({@code
 * http.idleTimeoutMillis} on the server options).
 */
public final class ConnectionGuard {
  static final String KEY = "denoiser.connectionGuard";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final String CLIENTS_MAP = "denoiser.http.clients";
  private final Vertx vertx;
  private final EdgeMetrics metrics;
  private final int maxPerClient;
  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final LocalMap<String, Integer> clients;
  private final Map<HttpConnection, Conn> conns = new IdentityHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong accepted =
      new java.util.concurrent.atomic.AtomicLong();
  private long sweepTimer = -1;

  private static final class Conn {
    final String client;
    long waitingSince;
    boolean first = true;
    boolean upgraded;
    boolean released;
    HttpServerRequest current;
    long requestStart;

    Conn(String client, long now) {
      this.client = client;
      this.waitingSince = now;
    }
  }

  public ConnectionGuard(Vertx vertx, Settings s, EdgeMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.maxPerClient = Math.max(0, s.getInt(Setting.HTTP_MAX_CONNECTIONS_PER_CLIENT));
    this.headerNanos = Math.max(0, s.getLong(Setting.HTTP_HEADER_TIMEOUT_MS)) * 1_000_000L;
    this.bodyNanos = Math.max(0, s.getLong(Setting.HTTP_BODY_TIMEOUT_MS)) * 1_000_000L;
    this.idleNanos = Math.max(0, s.getLong(Setting.HTTP_IDLE_TIMEOUT_MS)) * 1_000_000L;
    this.clients = vertx.sharedData().getLocalMap(CLIENTS_MAP);
  }

  /**
   * Installs the guard on {@code server} and returns the request handler to use around {@code
   * next}.
   */
  public Handler<HttpServerRequest> install(HttpServer server, Handler<HttpServerRequest> next) {
    server.connectionHandler(this::connected);
    long shortest =
        Math.min(
            headerNanos > 0 ? headerNanos : Long.MAX_VALUE,
            bodyNanos > 0 ? bodyNanos : Long.MAX_VALUE);
    if (shortest != Long.MAX_VALUE) {
      long period = Math.max(20, Math.min(1_000, shortest / 4 / 1_000_000L));
      sweepTimer = vertx.setPeriodic(period, id -> sweep());
    }
    return req -> {
      Conn c = conns.get(req.connection());
      if (c != null) {
        c.current = req;
        c.requestStart = System.nanoTime();
        c.waitingSince = -1;
      }
      next.handle(req);
    };
  }

  /** Stops the sweep (the server is closing). */
  public void stop() {
    vertx.cancelTimer(sweepTimer);
  }

  /**
   * The connection of {@code ctx} becomes a WebSocket: its own idle rules apply from now on. Vert.x
   * does not tell the connection's close handler when an upgraded connection closes, so the caller
   * runs the returned action when the WebSocket closes (or the upgrade fails) to free its slot of
   * the per-client count; running it twice does nothing more.
   */
  public static Runnable upgrading(RoutingContext ctx) {
    ConnectionGuard g = ctx.get(KEY);
    if (g == null) {
      return () -> {};
    }
    HttpConnection conn = ctx.request().connection();
    Conn c = g.conns.get(conn);
    if (c == null) {
      return () -> {};
    }
    c.upgraded = true;
    return () -> g.vertx.runOnContext(v -> g.closed(conn, c));
  }

  /** Connections this server was handed. */
  long accepted() {
    return accepted.get();
  }

  private void connected(HttpConnection conn) {
    accepted.incrementAndGet();
    String client =
        conn.remoteAddress() == null || conn.remoteAddress().hostAddress() == null
            ? "unknown"
            : conn.remoteAddress().hostAddress();
    if (maxPerClient > 0) {
      int n = clients.merge(client, 1, Integer::sum);
      if (n > maxPerClient) {
        release(client);
        metrics.closed("per_client_cap");
        LOG.debug(
            "connection from {} closed: {} open (http.maxConnectionsPerClient)", client, n - 1);
        conn.close();
        return;
      }
    }
    Conn c = new Conn(client, System.nanoTime());
    conns.put(conn, c);
    conn.closeHandler(v -> closed(conn, c));
  }

  private void closed(HttpConnection conn, Conn c) {
    if (c.released) {
      return;
    }
    c.released = true;
    conns.remove(conn);
    if (maxPerClient > 0) {
      release(c.client);
    }
  }

  private void release(String client) {
    clients.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
  }

  private void sweep() {
    long now = System.nanoTime();
    List<HttpConnection> close = new ArrayList<>();
    for (Map.Entry<HttpConnection, Conn> e : conns.entrySet()) {
      Conn c = e.getValue();
      if (c.upgraded) {
        continue;
      }
      HttpServerRequest req = c.current;
      if (req != null) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
          c.current = null;
          c.first = false;
          c.waitingSince = now;
        } else if (bodyNanos > 0 && !req.isEnded() && now - c.requestStart > bodyNanos) {
          c.current = null;
          c.waitingSince = -1;
          bodyTimeout(e.getKey(), req);
        }
      } else if (headerNanos > 0
          && c.waitingSince >= 0
          && now - c.waitingSince > (c.first ? headerNanos : headerNanos + idleNanos)) {
        c.waitingSince = -1;
        metrics.closed("header_timeout");
        close.add(e.getKey());
      }
    }
    close.forEach(HttpConnection::close);
  }

  private void bodyTimeout(HttpConnection conn, HttpServerRequest req) {
    metrics.closed("body_timeout");
    metrics.error(ErrorCode.REQUEST_TIMEOUT);
    HttpServerResponse resp = req.response();
    if (resp.headWritten()) {
      conn.close();
      return;
    }
    String message =
        "the request body did not arrive within "
            + bodyNanos / 1_000_000
            + " ms (http.bodyTimeoutMillis)";
    resp.setStatusCode(ErrorCode.REQUEST_TIMEOUT.httpStatus())
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(HttpErrors.body(ErrorCode.REQUEST_TIMEOUT, message).encode())
        .onComplete(v -> conn.close());
  }
}
