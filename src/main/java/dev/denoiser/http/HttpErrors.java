package dev.denoiser.http;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.source.OverloadPolicy;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes errors as JSON {@code {"code": .., "message": .., "error": ..}} with the code's HTTP
 * status ({@code error} repeats the message for KServe clients). Never a stack trace.
 */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  public static void send(RoutingContext ctx, DenoiserException e) {
    send(ctx, e.code(), e.getMessage());
  }

  public static void send(RoutingContext ctx, ErrorCode code, String message) {
    write(ctx, code, message);
  }

  private static Future<Void> write(RoutingContext ctx, ErrorCode code, String message) {
    HttpServerResponse resp = ctx.response();
    if (resp.ended() || resp.closed()) {
      return Future.succeededFuture();
    }
    if (resp.headWritten()) {
      resp.reset();
      return Future.succeededFuture();
    }
    resp.setStatusCode(code.httpStatus()).putHeader("Content-Type", "application/json");
    int retryAfter = OverloadPolicy.HTTP.retryAfterSeconds(code);
    if (retryAfter > 0) {
      resp.putHeader("Retry-After", Integer.toString(retryAfter));
    }
    if (code == ErrorCode.UNAUTHORIZED) {
      resp.putHeader("WWW-Authenticate", "Bearer");
    }
    EdgeMetrics metrics = ctx.get(EdgeMetrics.KEY);
    if (metrics != null) {
      metrics.error(code);
    }
    return resp.end(body(code, message).encode());
  }

  /**
   * Answers like {@link #send(RoutingContext, ErrorCode, String)} with {@code Connection: close},
   * then closes the connection, so a body that was not read is never read.
   */
  public static void sendAndClose(RoutingContext ctx, ErrorCode code, String message) {
    HttpServerResponse resp = ctx.response();
    if (!resp.headWritten()) {
      resp.putHeader("Connection", "close");
    }
    boolean unread = !ctx.request().isEnded();
    write(ctx, code, message)
        .onComplete(
            v -> {
              if (unread) {
                ctx.request().connection().close();
              }
            });
  }

  public static JsonObject body(ErrorCode code, String message) {
    return new JsonObject().put("code", code.name()).put("message", message).put("error", message);
  }

  /** Maps any failure of a route to a typed error response. */
  public static void handleFailure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof DenoiserException de) {
      send(ctx, de);
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      send(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "request body is over the limit (http.maxBodyBytes)");
    } else if (status == 404) {
      send(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.request().path());
    } else if (status == 405) {
      send(
          ctx,
          ErrorCode.METHOD_NOT_ALLOWED,
          "method not allowed: " + ctx.request().method() + " " + ctx.request().path());
    } else if (status == 401) {
      send(ctx, ErrorCode.UNAUTHORIZED, "a valid bearer token is required");
    } else if (status >= 400 && status < 500) {
      send(ctx, ErrorCode.BAD_REQUEST, t == null ? "bad request" : String.valueOf(t.getMessage()));
    } else {
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), t);
      send(ctx, ErrorCode.INTERNAL, "internal error");
    }
  }
}
