package dev.denoiser.http;

import dev.denoiser.error.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The first and last handlers of a router. First: the bearer token is checked before any body is
 * read (a refused request is answered 401 and its connection closed, its body never buffered); only
 * the {@code Authorization} header counts ({@code ?access_token=} is for the WebSocket upgrade
 * alone, which checks it itself). Public without a token: health, server metadata ({@code GET /v2})
 * and the page's files. Then the body handler for POST. Last: a typed 404 {@code NOT_FOUND} for an
 * unknown path, a typed 405 {@code METHOD_NOT_ALLOWED} with an {@code Allow} header for a known
 * path and a wrong method, and the JSON error format.
 */
public final class EdgeGuard implements Handler<RoutingContext> {
  /** Paths anyone may read. */
  static final Set<String> PUBLIC = Set.of("/", "/v2", "/v2/health/live", "/v2/health/ready");

  static final List<String> PUBLIC_PREFIXES = List.of("/ui/");
  private final BearerAuth auth;
  private final EdgeMetrics metrics;
  private final ConnectionGuard connections;
  private final Set<String> selfAuthenticated;

  /**
   * @param connections the server's connection guard (null: none)
   * @param selfAuthenticated paths whose handler checks the token itself (the WebSocket upgrade,
   *     which also takes {@code ?access_token=})
   */
  public EdgeGuard(
      BearerAuth auth,
      EdgeMetrics metrics,
      ConnectionGuard connections,
      Set<String> selfAuthenticated) {
    this.auth = auth;
    this.metrics = metrics;
    this.connections = connections;
    this.selfAuthenticated = Set.copyOf(selfAuthenticated);
  }

  /** Mounts the guard and the body handler (POST bodies up to {@code bodyLimit} bytes) first. */
  public void mountFirst(Router router, long bodyLimit) {
    mountFirst(router, bodyLimit, io.vertx.ext.web.RoutingContext::next);
  }

  /**
   * As {@link #mountFirst(Router, long)}, with {@code beforeBody} between the token and the body.
   */
  public void mountFirst(
      Router router,
      long bodyLimit,
      io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> beforeBody) {
    router.route().handler(this);
    router.post().handler(beforeBody);
    router.post().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
  }

  /** Mounts the error format and the 404/405 answers; call after every other route. */
  public static void mountLast(Router router) {
    router.route().failureHandler(HttpErrors::handleFailure);
    router.route().last().handler(ctx -> notFound(router, ctx));
  }

  static boolean isPublic(String path) {
    return PUBLIC.contains(path) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.put(EdgeMetrics.KEY, metrics);
    if (connections != null) {
      ctx.put(ConnectionGuard.KEY, connections);
    }
    String path = ctx.normalizedPath();
    if (!auth.enabled()
        || isPublic(path)
        || selfAuthenticated.contains(path)
        || auth.allows(ctx.request().getHeader("Authorization"), null)) {
      ctx.next();
      return;
    }
    metrics.closed("unauthorized");
    HttpErrors.sendAndClose(
        ctx,
        ErrorCode.UNAUTHORIZED,
        "a valid bearer token is required (Authorization: Bearer ...; auth.token is set)");
  }

  private static void notFound(Router router, RoutingContext ctx) {
    Set<String> allow = allowed(router, ctx.normalizedPath());
    if (allow.isEmpty()) {
      HttpErrors.send(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.request().path());
    } else {
      ctx.response().putHeader("Allow", String.join(", ", allow));
      HttpErrors.send(
          ctx,
          ErrorCode.METHOD_NOT_ALLOWED,
          ctx.request().method()
              + " is not allowed on "
              + ctx.request().path()
              + "; allowed: "
              + String.join(", ", allow));
    }
  }

  /**
   * The methods of the routes whose path matches {@code path} (routes without methods left out).
   */
  static Set<String> allowed(Router router, String path) {
    Set<String> out = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      Set<HttpMethod> methods = r.methods();
      String p = r.getPath();
      if (methods == null || methods.isEmpty() || p == null) {
        continue;
      }
      if (pattern(p, r.isExactPath()).matcher(path).matches()) {
        methods.forEach(m -> out.add(m.name()));
      }
    }
    return out;
  }

  /**
   * A Vert.x route path ({@code /a/:name/b}; {@code /a/*}, which Vert.x reports as {@code /a} and
   * not exact) as a regular expression.
   */
  static Pattern pattern(String routePath, boolean exact) {
    StringBuilder re = new StringBuilder();
    String[] parts = routePath.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i > 0) {
        re.append('/');
      }
      if (part.startsWith(":")) {
        re.append("[^/]+");
      } else if (part.endsWith("*")) {
        re.append(Pattern.quote(part.substring(0, part.length() - 1))).append(".*");
      } else if (!part.isEmpty()) {
        re.append(Pattern.quote(part));
      }
    }
    return Pattern.compile(re + (exact ? "" : ".*"));
  }
}
