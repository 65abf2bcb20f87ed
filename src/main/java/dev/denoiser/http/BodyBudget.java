package dev.denoiser.http;

import dev.denoiser.config.Setting;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.source.MemoryBudget;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts a POST body against the in-flight byte budget before it is read: its {@code
 * Content-Length} (or {@code http.maxBodyBytes} when it has none) is taken from {@link
 * MemoryBudget} as source {@value #SOURCE}, and given back when the response ends or the connection
 * closes. Over the budget the request is answered 503 OVERLOADED with {@code Retry-After} and its
 * body is never buffered. The frame decode later grows the same lease ({@link
 * #lease(RoutingContext)}).
 */
final class BodyBudget implements Handler<RoutingContext> {
  static final String SOURCE = "http";
  private static final String KEY = "denoiser.lease";
  private final MemoryBudget budget;
  private final long maxBody;

  BodyBudget(ServiceContext svc) {
    this.budget = svc.budget();
    this.maxBody = svc.settings().getLong(Setting.HTTP_MAX_BODY_BYTES);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    long bytes = maxBody;
    if (length != null) {
      try {
        bytes = Math.min(maxBody, Math.max(0, Long.parseLong(length.trim())));
      } catch (NumberFormatException e) {
        bytes = maxBody; // the body handler refuses it
      }
    }
    MemoryBudget.Lease lease;
    try {
      lease = budget.acquire(SOURCE, bytes);
    } catch (DenoiserException e) {
      ctx.response().putHeader("Connection", "close");
      HttpErrors.send(ctx, e);
      return;
    }
    ctx.put(KEY, lease);
    ctx.addEndHandler(v -> lease.close());
    ctx.next();
  }

  /** The lease of this request's body, or null for a request that did not pass here. */
  static MemoryBudget.Lease lease(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
